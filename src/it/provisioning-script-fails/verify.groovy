import io.github.amimaven.testing.it.EndpointAdmin
def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-script-fails')
def region = 'ap-southeast-2'
assert log.contains('[broken] before the failing script')
assert log.contains('[broken] checking the frobnicator')
assert log.contains('[broken] frobnicator missing')
assert !log.contains('this must never run')
assert log.contains('[broken] Provisioning: shell scripts/fail.sh exited with 3 (accepted: [0])')
// the failure is the image's, not the environment's: a MojoFailureException
assert log.contains('BUILD FAILURE')
// cleanup ran in reverse order: builder, then security group, then key pair
def terminated = log.indexOf('[broken] terminated builder')
def sg = log.indexOf('[broken] deleted security group')
def key = log.indexOf('[broken] deleted key pair')
assert terminated > 0 && terminated < sg && sg < key
assert admin.liveResources(region) == []
assert admin.requests('CreateImage') == 0
assert !new File(basedir, 'target/ami/env.properties').text.contains('IMAGE_ID')
true
