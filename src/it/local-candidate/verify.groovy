import groovy.json.JsonSlurper
import io.github.amimaven.log.BuildLog
import io.github.amimaven.platform.LaunchSpec
import io.github.amimaven.platform.local.LocalPlatform
import io.github.amimaven.remote.Ssh
import io.github.amimaven.remote.SshKeys
import io.github.amimaven.remote.SshTarget
import io.github.amimaven.testing.it.LocalVms
import java.time.Duration

def log = new File(basedir, 'build.log').text
assert log.contains('[debian-marked] built on ')
assert log.contains('[debian-marked] provisioned by ami-maven-plugin')
assert log.contains('[debian-marked] terminated builder')
// nothing is left of the builder: no QEMU process, no directory, no work root
assert LocalVms.leftovers(LocalVms.launched(log)) == []
def manifest = new JsonSlurper().parse(new File(basedir, 'target/ami/manifest.json'))
def image = manifest.images['debian-marked']
assert image.platform == 'local'
def store = new File(basedir, 'target/store')
def meta = new JsonSlurper().parse(new File(store, "${image.candidateId}.json"))
assert meta.status == 'candidate'

// the proof: a new VM booted from the captured image has the provisioned change
def quiet = [debug: {}, info: { println it }, warn: { println it }, error: { println it }] as BuildLog
def platform = new LocalPlatform(quiet, LocalPlatform.Options.defaults().withStoreDir(store.toPath())
        .withWorkDir(new File(basedir, 'target/verify-vms').toPath()))
try {
    def key = SshKeys.generate('local-candidate IT')
    def keyName = platform.importKeyPair('verify', key.publicKeyOpenSsh(), [:])
    def id = platform.launch(new LaunchSpec(image.candidateId, null, keyName, key.publicKeyOpenSsh(), [], null, null,
            null, null, null, true, null, [:]))
    def machine = platform.awaitRunning(id, Duration.ofMinutes(2))
    def session = Ssh.connect(new SshTarget('127.0.0.1', machine.sshPort(), 'debian', key.privateKeyPem()),
            Duration.ofMinutes(5), quiet)
    def out = []
    try {
        assert session.exec('cat /etc/ami-marker /etc/motd', null, { out << it }, { out << it }) == 0
    } finally {
        session.close()
    }
    assert out == ['provisioned by ami-maven-plugin', 'Built by the local-candidate IT']
    platform.terminate(id)
    platform.awaitTerminated(id, Duration.ofMinutes(1))
} finally {
    platform.close()
}
// nothing of this check's VM is left running (its directory is under target/verify-vms)
def qemu = 'pgrep -af qemu-system'.execute().text.readLines().findAll { it.contains(basedir.path) }
assert qemu == []
true
