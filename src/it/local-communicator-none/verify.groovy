import groovy.json.JsonSlurper
import io.github.amimaven.testing.it.LocalVms

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
def started = System.nanoTime()
def answer = LocalVms.bootCandidate(store.toPath(), new File(basedir, 'target/verify-vms').toPath(), image.candidateId,
        'cloud-init status --wait >/dev/null; cat /var/lib/ami-user-data-marker; hostname; '
                + "test -d /var/lib/cloud/instances/${builder} && echo builder-instance-recorded")
// written on the builder, by its user data; this VM is another instance, which ran no user data
assert answer.lines() == ["written by user data on ${builder}".toString(), answer.vmId(), 'builder-instance-recorded']
println "candidate booted and checked in ${(System.nanoTime() - started) / 1_000_000_000} s"
// nothing of the build or of this check is left running
def qemu = 'pgrep -af qemu-system'.execute().text.readLines().findAll { it.contains(basedir.path) }
assert qemu == []
true
