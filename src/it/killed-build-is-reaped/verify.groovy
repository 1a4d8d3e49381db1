import io.github.amimaven.testing.it.EndpointAdmin
import io.github.amimaven.testing.it.NestedMaven

// Runs the image build as a user would, kills its JVM with SIGKILL while it waits for the candidate (no shutdown
// hook, no cleanup), checks that this leaked the builder, key pair, security group, candidate and work directory,
// then runs ami:clean-orphans: a dry run lists them and removes nothing, the real run removes them all.
def region = 'ap-southeast-2'
def admin = EndpointAdmin.of(endpointUrl, 'it-killed')
def own = admin.state().get('accountId').asText()
def ownImages = { admin.images(region).findAll { it.get('ownerId').asText() == own && it.get('name').asText() != 'base-2026.11' } }
def ownSnapshots = { admin.snapshots(region).findAll { it.get('ownerId').asText() == own && !it.get('description').asText().startsWith('seeded') } }
def build = new File(basedir, 'build')
new File(build, 'pom.xml').text = new File(build, 'pom.xml').text.replace('@project.groupId@', 'io.github.amimaven')
        .replace('@project.artifactId@', 'ami-maven-plugin').replace('@project.version@', pluginVersion)
def env = [AWS_ACCESS_KEY_ID: 'it-killed', AWS_SECRET_ACCESS_KEY: 'it-secret']
def props = ["-Dami.it.endpoint=${endpointUrl}".toString(), "-Dami.it.sshUser=${System.getProperty('ami.it.sshUser', 'amitest')}".toString()]
def runs = 0
def run = { List<String> args ->
    def mvn = NestedMaven.start(build, localRepositoryPath.path, outerLocalRepository, env, props + args)
    int code = mvn.awaitExit(180_000)
    new File(basedir, "sweep-${++runs}.log").text = mvn.output()
    assert code == 0 : "mvn ${args} failed (${code}):\n${mvn.output()}"
    mvn.output()
}

def mvn = NestedMaven.start(build, localRepositoryPath.path, outerLocalRepository, env, props + ['package'])
assert mvn.awaitOutput('pending, waiting until available', 90_000) : "the build never reached the image wait:\n${mvn.output()}"
['kill', '-KILL', mvn.pid().toString()].execute().waitFor()
assert mvn.awaitExit(30_000) == 137
def killedLog = mvn.output()
new File(basedir, 'killed-build.log').text = killedLog
assert !killedLog.contains('Interrupted: stopping') : 'SIGKILL runs no shutdown hook'
def candidate = (killedLog =~ /image (ami-[0-9a-f]+) \([^)]*\) pending/)[0][1]
def builder = (killedLog =~ /builder (i-[0-9a-f]+) launched/)[0][1]
def group = (killedLog =~ /security group (sg-[0-9a-f]+) admits SSH/)[0][1]
def key = (killedLog =~ /temporary key pair (\S+) \(/)[0][1]
def leaked = admin.liveResources(region)
assert leaked.any { it.startsWith("instance ${builder}") } && leaked.any { it.startsWith("key pair ${key}") }
assert leaked.any { it.startsWith("security group ${group}") }
assert ownImages().collect { it.get('imageId').asText() } == [candidate]
def snapshots = ownSnapshots().collect { it.get('snapshotId').asText() }
assert !snapshots.isEmpty()
// and its work directory, which names the killed JVM as its owner
def workDirs = new File(build, 'target/ami-work').listFiles().findAll { it.isDirectory() }
assert workDirs.size() == 1 && new File(workDirs[0], 'owner').text.startsWith("${mvn.pid()} ")
def workDir = workDirs[0].canonicalFile

def dry = run(['ami:clean-orphans', '-Dami.dryRun'])
[builder, key, group, candidate].each { id ->
    assert dry.contains("would remove orphan ") && dry =~ /would remove orphan \w[\w ]* ${java.util.regex.Pattern.quote(id)} in ec2 ap-southeast-2 \(build b[0-9a-f]+, com.example.images:killed-build\): build b[0-9a-f]+ died: its JVM \(pid ${mvn.pid()}\) is gone/ : "${id} not listed:\n${dry}"
}
assert dry.contains('ami: 4 orphan(s) would be removed')
assert admin.liveResources(region) == leaked : 'a dry run removes nothing'
assert ownImages().collect { it.get('imageId').asText() } == [candidate]
assert dry.contains("ami: would remove the work directory of a killed build: ${workDir}") : dry
assert workDir.isDirectory() : 'a dry run removes nothing'

def sweep = run(['ami:clean-orphans'])
[builder, key, group, candidate].each { id -> assert sweep.contains("removed orphan ") && sweep.contains(" ${id} in ec2 ap-southeast-2") }
assert sweep.contains('ami: 4 orphan(s) removed')
assert admin.liveResources(region) == []
assert ownImages() == []
assert ownSnapshots() == []
assert admin.instances(region).find { it.get('instanceId').asText() == builder }.get('state').asText() == 'terminated'
assert sweep.contains("ami: removed the work directory of a killed build: ${workDir}") && !workDir.exists()

// a second sweep finds nothing
assert run(['ami:clean-orphans']).contains('ami: 0 orphan(s) removed')
true
