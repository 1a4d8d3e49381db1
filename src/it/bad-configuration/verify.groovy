import io.github.amimaven.testing.it.EndpointAdmin
def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-bad-config')
assert log.contains('Invalid ami-maven-plugin configuration (4 problems):')
assert log.contains('<images>/<image>[1]/<name> is missing: name the image')
assert log.contains("<images>/<image name=dup>/<name> 'dup' is used by two images")
assert log.contains("<images>/<image name=dup>/<ssh>/<allowedCidrs> '10.0.0.0/33' is not a CIDR")
assert log.contains("<images>/<image name=dup>/<provisioners>/<shell>[1]/<script> 'scripts/not-there.sh' cannot be read")
assert admin.totalRequests() == 0 : 'validation must fail before any cloud call'
true
