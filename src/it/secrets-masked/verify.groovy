import io.github.amimaven.testing.it.EndpointAdmin
import groovy.json.JsonSlurper

// The secrets were really printed, and masked: each masked line is where a value would have been. That no value
// is left anywhere under target/ is checked after all ITs by the build's scan-for-secrets step.
def log = new File(basedir, 'build.log').text
assert log.contains('[app] token is ****')
assert log.contains('[app] api key is ****')
assert log.contains('[app] aws key is ****, session token is ****')
assert log.contains('[app] ok: [default] => {') && log.contains('"msg": "remote sees ****; db password is ****"')
assert log =~ /\[app\] PASSED file \/tmp\/ami-it-secrets\/token/ : 'the baked-in file holds the settings.xml password'
assert log.contains("[app] FAILED run cat /tmp/ami-it-secrets/token - stdout: expected to match /^baked-in-never\$/, was '****'")
// the goal's exception, with -e its stack trace too
assert log.contains("[ERROR] Failed to execute goal io.github.amimaven:ami-maven-plugin")
assert log.contains("was '****'")

def junit = new File(basedir, 'target/ami-reports/TEST-ami-app.xml').text
assert junit.contains("was '****'")
def summary = new JsonSlurper().parse(new File(basedir, 'target/ami-reports/summary.json'))
assert summary.images.app.failed*.message == ["stdout: expected to match /^baked-in-never\$/, was '****'"]

// private keys were written 0600 under target/ for Ansible and deleted with everything else of the work directories;
// what stays is the file naming the JVM that owned each build's directory
def left = []
new File(basedir, 'target/ami-work').eachFileRecurse(groovy.io.FileType.FILES) { left << it }
assert left.findAll { it.name != 'owner' } == []
assert log =~ /\[app\] \$ ansible-playbook -i \S+\/target\/ami-work\/\S+\/inventory\.yml/

// security defaults held on the way: IMDSv2 on the builder and the test instance, nothing left
def admin = EndpointAdmin.of(endpointUrl, 'it-secrets')
def instances = admin.instances('ap-southeast-2')
assert instances*.get('tags')*.get('ami:role')*.asText() as Set == ['builder', 'test instance'] as Set
assert instances.every { it.get('httpTokens').asText() == 'required' && it.get('state').asText() == 'terminated' }
assert admin.liveResources('ap-southeast-2') == []
new File('/tmp/ami-it-secrets').deleteDir()
true
