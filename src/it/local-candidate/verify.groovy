import groovy.json.JsonSlurper
import io.github.amimaven.testing.it.LocalVms

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
def answer = LocalVms.bootCandidate(store.toPath(), new File(basedir, 'target/verify-vms').toPath(), image.candidateId,
        'cat /etc/ami-marker /etc/motd')
assert answer.lines() == ['provisioned by ami-maven-plugin', 'Built by the local-candidate IT']
// nothing of this check's VM is left running (its directory is under target/verify-vms)
def qemu = 'pgrep -af qemu-system'.execute().text.readLines().findAll { it.contains(basedir.path) }
assert qemu == []
true
