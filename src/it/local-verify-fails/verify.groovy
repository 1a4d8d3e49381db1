import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper
import io.github.amimaven.testing.it.LocalVms

def log = new File(basedir, 'build.log').text
def manifest = new JsonSlurper().parse(new File(basedir, 'target/ami/manifest.json'))
def candidate = manifest.images.forgetful.candidateId
assert manifest.images.forgetful.status == 'failed'
// integration-test recorded, verify judged
assert log =~ /forgetful\s+2 check\(s\), 1 failed/
assert log.contains('Image verification failed')
assert log =~ /\[forgetful\] 1 check\(s\) failed:\n\s+- command .*\/etc\/banner/
assert log.contains("ami: deleted failed candidate ${candidate} of forgetful")
// the candidate is gone from the store, and no VM is left
assert !new File(basedir, "target/store/${candidate}.json").exists()
assert !new File(basedir, "target/store/${candidate}.qcow2").exists()
assert LocalVms.leftovers(LocalVms.launched(log)) == []
// Jenkins reads the JUnit XML
def junit = new XmlSlurper().parse(new File(basedir, 'target/ami-reports/TEST-ami-forgetful.xml'))
assert junit.@tests == '2' && junit.@failures == '1'
assert junit.testcase.find { it.failure.size() > 0 }.@name.text().contains('/etc/banner')
true
