import groovy.json.JsonSlurper
import io.github.amimaven.log.BuildLog
import io.github.amimaven.platform.LaunchSpec
import io.github.amimaven.platform.local.LocalPlatform
import io.github.amimaven.remote.Ssh
import io.github.amimaven.remote.SshKeys
import io.github.amimaven.remote.SshTarget
import java.time.Duration

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
def launched = (log =~ /\[debian-userdata\] builder (vm-[0-9a-f]+) launched, to stop when its user data powers it off/)
assert launched.find()
def builder = launched.group(1)
// the build waited for the VM to power itself off: nobody pressed its button, there was no stop step
def stopped = (log =~ /\[debian-userdata\] builder ${builder} stopped itself after ([0-9.]+) s/)
assert stopped.find() : 'the build did not wait for the user data to power the builder off'
println "builder ${builder}: boot, user data and power-off took ${stopped.group(1)} s"
assert !log.contains('==> Stopping builder')
assert !log.contains('Waiting for SSH')
assert log.indexOf('stopped itself after') < log.indexOf('pending, waiting until available')
assert log.contains("[debian-userdata] terminated builder ${builder}")
def manifest = new JsonSlurper().parse(new File(basedir, 'target/ami/manifest.json'))
def image = manifest.images['debian-userdata']
def store = new File(basedir, 'target/store')
assert new JsonSlurper().parse(new File(store, "${image.candidateId}.json")).status == 'candidate'

// the proof: one VM booted from the captured image answers every question at once
def quiet = [debug: {}, info: { println it }, warn: { println it }, error: { println it }] as BuildLog
def platform = new LocalPlatform(quiet, LocalPlatform.Options.defaults().withStoreDir(store.toPath())
        .withWorkDir(new File(basedir, 'target/verify-vms').toPath()))
def out = []
def started = System.nanoTime()
try {
    def key = SshKeys.generate('local-communicator-none IT')
    def keyName = platform.importKeyPair('verify', key.publicKeyOpenSsh(), [:])
    def id = platform.launch(new LaunchSpec(image.candidateId, null, keyName, key.publicKeyOpenSsh(), [], null, null,
            null, null, null, true, null, [:]))
    def machine = platform.awaitRunning(id, Duration.ofMinutes(2))
    def session = Ssh.connect(new SshTarget('127.0.0.1', machine.sshPort(), 'debian', key.privateKeyPem()),
            Duration.ofMinutes(5), quiet)
    try {
        assert session.exec('cloud-init status --wait >/dev/null; cat /var/lib/ami-user-data-marker; hostname; '
                + "test -d /var/lib/cloud/instances/${builder} && echo builder-instance-recorded", null,
                { out << it }, { out << it }) == 0
    } finally {
        session.close()
    }
    platform.terminate(id)
    platform.awaitTerminated(id, Duration.ofMinutes(1))
    // written on the builder, by its user data; this VM is another instance, which ran no user data
    assert out == ["written by user data on ${builder}".toString(), id, 'builder-instance-recorded']
} finally {
    platform.close()
}
println "candidate booted and checked in ${(System.nanoTime() - started) / 1_000_000_000} s"
// nothing of the build or of this check is left running
def qemu = 'pgrep -af qemu-system'.execute().text.readLines().findAll { it.contains(basedir.path) }
assert qemu == []
true
