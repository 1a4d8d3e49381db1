import io.github.amimaven.testing.it.EndpointAdmin
import io.github.amimaven.testing.it.NestedMaven

// Runs the image build as a user would, presses Ctrl-C (SIGINT) while it waits for the candidate, presses it again
// while the builder terminates, and checks that the second press said what was being cleaned and that the shutdown
// hook cleaned up everything before the JVM exited.
def admin = EndpointAdmin.of(endpointUrl, 'it-ctrl-c')
// the nested project is not filtered by the invoker: fill in the plugin's version
def build = new File(basedir, 'build')
new File(build, 'pom.xml').text = new File(build, 'pom.xml').text.replace('@project.groupId@', 'io.github.amimaven')
        .replace('@project.artifactId@', 'ami-maven-plugin').replace('@project.version@', pluginVersion)
def mvn = NestedMaven.start(build, localRepositoryPath.path, outerLocalRepository,
        [AWS_ACCESS_KEY_ID: 'it-ctrl-c', AWS_SECRET_ACCESS_KEY: 'it-secret'],
        ["-Dami.it.endpoint=${endpointUrl}".toString(), "-Dami.it.sshUser=${System.getProperty('ami.it.sshUser', 'amitest')}".toString(), 'package'])
assert mvn.awaitOutput('pending, waiting until available', 90_000) : "the build never reached the image wait:\n${mvn.output()}"
def out = mvn.output()
def candidate = (out.toString() =~ /image (ami-[0-9a-f]+) \([^)]*\) pending/)[0][1]
assert admin.images('ap-southeast-2').any { it.get('imageId').asText() == candidate }
['kill', '-INT', mvn.pid().toString()].execute().waitFor()
// a second Ctrl-C while the builder terminates says what the cleanup still holds, and does not stop it
assert mvn.awaitOutput("[interrupted] deleted failed candidate ${candidate}", 60_000) : mvn.output()
['kill', '-INT', mvn.pid().toString()].execute().waitFor()
assert mvn.awaitOutput('Still cleaning up, please wait', 30_000) : "no report after the second Ctrl-C:\n${mvn.output()}"
assert mvn.awaitExit(120_000) != -1 : "the build did not end after Ctrl-C:\n${mvn.output()}"
def log = mvn.output()
new File(basedir, 'interrupted-build.log').text = log
assert log.contains('Interrupted: stopping 1 image pipeline(s) and cleaning up what they created')
assert log.contains("[interrupted] deleted failed candidate ${candidate} and its snapshots")
assert log.contains('[interrupted] terminated builder')
assert log.contains('[interrupted] deleted security group')
assert log.contains('[interrupted] deleted key pair')
assert log =~ /\[interrupted\] cleaning up after 'Launching builder'; holds machine i-[0-9a-f]+, security group sg-[0-9a-f]+, key pair ami-interrupted-b[0-9a-f]+/
assert log.indexOf('Still cleaning up') < log.indexOf('[interrupted] deleted key pair')
assert admin.liveResources('ap-southeast-2') == []
def own = admin.state().get('accountId').asText()
assert admin.images('ap-southeast-2').findAll { it.get('ownerId').asText() == own && it.get('name').asText() != 'base-2026.11' } == []
assert admin.snapshots('ap-southeast-2').findAll { it.get('ownerId').asText() == own && !it.get('description').asText().startsWith('seeded') } == []
true
