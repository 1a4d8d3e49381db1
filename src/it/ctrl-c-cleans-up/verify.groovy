import io.github.amimaven.testing.it.EndpointAdmin
import java.util.concurrent.TimeUnit

// Runs the image build as a user would, presses Ctrl-C (SIGINT) while it waits for the candidate, and checks
// that the shutdown hook cleaned up everything before the JVM exited.
def admin = EndpointAdmin.of(endpointUrl, 'it-ctrl-c')
def mvn = new File(System.getProperty('maven.home'), 'bin/mvn').path
// the nested project is not filtered by the invoker: fill in the plugin's coordinates, and resolve like the ITs do
def build = new File(basedir, 'build')
new File(build, 'pom.xml').text = new File(build, 'pom.xml').text.replace('@project.groupId@', 'io.github.amimaven')
        .replace('@project.artifactId@', 'ami-maven-plugin').replace('@project.version@', pluginVersion)
def settings = new File(basedir, 'nested-settings.xml')
def repo = new File(outerLocalRepository).toURI().toString()
settings.text = """<settings><profiles><profile><id>it-repo</id><activation><activeByDefault>true</activeByDefault></activation>
<repositories><repository><id>local.central</id><url>${repo}</url></repository></repositories>
<pluginRepositories><pluginRepository><id>local.central</id><url>${repo}</url></pluginRepository></pluginRepositories>
</profile></profiles></settings>"""
def command = [mvn, '-B', '-s', settings.path, "-Dmaven.repo.local=${localRepositoryPath}", "-Dami.it.endpoint=${endpointUrl}",
               "-Dami.it.sshUser=${System.getProperty('ami.it.sshUser', 'amitest')}", 'package']
def pb = new ProcessBuilder(command.collect { it.toString() }).directory(build).redirectErrorStream(true)
pb.environment().putAll([AWS_ACCESS_KEY_ID: 'it-ctrl-c', AWS_SECRET_ACCESS_KEY: 'it-secret', AWS_EC2_METADATA_DISABLED: 'true'])
def process = pb.start()
def out = new StringBuffer()
def reader = Thread.start {
    process.inputStream.eachLine { line -> out.append(line).append('\n') }
}
def deadline = System.currentTimeMillis() + 90_000
while (!out.toString().contains('pending, waiting until available') && System.currentTimeMillis() < deadline && process.alive) {
    Thread.sleep(100)
}
assert out.toString().contains('pending, waiting until available') : "the build never reached the image wait:\n${out}"
def candidate = (out.toString() =~ /image (ami-[0-9a-f]+) \([^)]*\) pending/)[0][1]
assert admin.images('ap-southeast-2').any { it.get('imageId').asText() == candidate }
['kill', '-INT', process.pid().toString()].execute().waitFor()
assert process.waitFor(120, TimeUnit.SECONDS) : "the build did not end after Ctrl-C:\n${out}"
reader.join(5000)
def log = out.toString()
new File(basedir, 'interrupted-build.log').text = log
assert log.contains('Interrupted: stopping 1 image pipeline(s) and cleaning up what they created')
assert log.contains("[interrupted] deleted failed candidate ${candidate} and its snapshots")
assert log.contains('[interrupted] terminated builder')
assert log.contains('[interrupted] deleted security group')
assert log.contains('[interrupted] deleted key pair')
assert admin.liveResources('ap-southeast-2') == []
def own = admin.state().get('accountId').asText()
assert admin.images('ap-southeast-2').findAll { it.get('ownerId').asText() == own && it.get('name').asText() != 'base-2026.11' } == []
assert admin.snapshots('ap-southeast-2').findAll { it.get('ownerId').asText() == own && !it.get('description').asText().startsWith('seeded') } == []
true
