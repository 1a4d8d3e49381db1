import io.github.amimaven.testing.it.EndpointAdmin
import io.github.amimaven.testing.it.NestedMaven
import groovy.json.JsonSlurper

// Runs mvn deploy as a user would, kills its JVM with SIGKILL while the region copies are pending (no shutdown hook:
// nothing is written after the kill), then resumes with the goal alone, mvn ami:deploy, which takes the candidate
// that package recorded in target/ami/manifest.json, finds the release and the pending copies, and copies nothing
// again. A third mvn ami:deploy, with everything in place, is a clean deploy of that candidate: it must change nothing.
def home = 'ap-southeast-2'
def copyRegions = ['us-east-1', 'us-west-2']
def regions = [home] + copyRegions
def admin = EndpointAdmin.of(endpointUrl, 'it-resume')
def account = admin.state().get('accountId').asText()
def ownImages = { r -> admin.images(r).findAll { it.get('ownerId').asText() == account && it.get('tags').path('ami:image').asText() == 'web' } }
def build = new File(basedir, 'build')
new File(build, 'pom.xml').text = new File(build, 'pom.xml').text.replace('@project.groupId@', 'io.github.amimaven')
        .replace('@project.artifactId@', 'ami-maven-plugin').replace('@project.version@', pluginVersion)
def env = [AWS_ACCESS_KEY_ID: 'it-resume', AWS_SECRET_ACCESS_KEY: 'it-secret']
def props = ["-Dami.it.endpoint=${endpointUrl}".toString(), "-Dami.it.sshUser=${System.getProperty('ami.it.sshUser', 'amitest')}".toString()]
def manifestFile = new File(build, 'target/ami/manifest.json')
def runs = 0
def run = { List<String> args ->
    def mvn = NestedMaven.start(build, localRepositoryPath.path, outerLocalRepository, env, props + args)
    int code = mvn.awaitExit(240_000)
    new File(basedir, "run-${++runs}.log").text = mvn.output()
    assert code == 0 : "mvn ${args} failed (${code}):\n${mvn.output()}"
    mvn.output()
}

def mvn = NestedMaven.start(build, localRepositoryPath.path, outerLocalRepository, env, props + ['deploy'])
// the release copy, then both region copies started: kill while they are pending. The region copies take a
// minute, so that the resumed deploy finds them pending and waits for them rather than finding them done.
long deadline = System.currentTimeMillis() + 240_000
boolean slowed = false
while (admin.requests('CopyImage') < 3 && System.currentTimeMillis() < deadline) {
    assert ProcessHandle.of(mvn.pid()).map { it.isAlive() }.orElse(false) : "the deploy ended before its copies:\n${mvn.output()}"
    if (!slowed && admin.requests('CopyImage') == 1) {
        admin.configure([delays: [imageCopy: 60000]])
        slowed = true
    }
    sleep 100
}
assert admin.requests('CopyImage') == 3 : "the region copies never started:\n${mvn.output()}"
['kill', '-KILL', mvn.pid().toString()].execute().waitFor()
assert mvn.awaitExit(30_000) == 137
def killedLog = mvn.output()
new File(basedir, 'killed-deploy.log').text = killedLog
copyRegions.each { r -> assert ownImages(r).collect { it.get('state').asText() } == ['pending'] : "${r}: ${ownImages(r)}" }
def release = ownImages(home)
assert release.size() == 1 && release[0].get('name').asText() ==~ /web-\d{8}-\d{6}/ : "the candidate was promoted and deleted: ${release}"
def releasedId = release[0].get('imageId').asText()
def releaseName = release[0].get('name').asText()
def before = new JsonSlurper().parse(manifestFile)
def candidateId = before.images.web.candidateId
assert candidateId && candidateId != releasedId
assert before.images.web.status == 'verified' && !before.images.web.releasedId : 'the killed deploy wrote nothing'

def resumed = run(['ami:deploy', 'install:install'])
assert resumed.contains(':deploy (default-cli) @ resumed-deploy')
assert !(resumed =~ /:(build|integration-test|verify) \(/) : 'the goal alone, no lifecycle'
assert admin.requests('CopyImage') == 3 : 'nothing copied twice'

def manifest = new JsonSlurper().parse(manifestFile)
def web = manifest.images.web
assert web.candidateId == candidateId && web.status == 'released' && web.promotion == 'copy'
assert web.releasedId == releasedId && web.releaseName == releaseName
assert web.regions.keySet() == regions as Set
regions.each { r ->
    def own = ownImages(r)
    assert own.size() == 1 : "${r}: ${own}"
    assert own[0].get('imageId').asText() == web.regions[r] && own[0].get('state').asText() == 'available'
    assert own[0].get('tags').get('ami:status').asText() == 'released'
    assert web.parameters[r] == ['/images/web/latest': web.regions[r]]
}
// the released manifest is the artifact, as mvn deploy would have installed it
def artifact = new File(localRepositoryPath, 'com/example/images/resumed-deploy/1.0.0/resumed-deploy-1.0.0.json')
assert new JsonSlurper().parse(artifact) == manifest

// a deploy of the same candidate with everything in place: the same manifest, nothing copied
def again = run(['ami:deploy'])
assert admin.requests('CopyImage') == 3
assert new JsonSlurper().parse(manifestFile) == manifest
true
