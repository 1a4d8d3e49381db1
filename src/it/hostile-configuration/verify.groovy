import io.github.amimaven.testing.it.EndpointAdmin

def log = new File(basedir, 'build.log').text
def expected = [
        "<threads> is 0",
        "<region> 'mars-1' is not a region code",
        "<images>/<image name=web>/<name> 'web' is used by two images",
        "<images>/<image name=web>/<source>/<id> 'ami-12345' is not an image id",
        "<images>/<image name=web>/<provisioners>/<file>[1]/<source> '../../etc/passwd' leads out of the project directory",
        "<images>/<image name=web>/<provisioners>/<file>[1]/<destination> '/tmp/../etc/shadow' has '..' segments",
        "<images>/<image name=web>/<provisioners>/<shell>[2]/<script> 'scripts/latin1.sh' is not UTF-8 (byte 0xE9 at offset 8)",
        "<images>/<image name=web>/<provisioners>/<shell>[3]/<inline> has only empty lines",
        "<images>/<image name=web>/<verifiers>/<command>[1]/<checks>/<run>[1]/<command> is missing",
        "<images>/<image name=web>/<verifiers>/<command>[1]/<checks>/<run>[2]/<stdout> '([' is not a valid regular expression",
        "<images>/<image name=web>/<verifiers>/<command>[1]/<checks>/<port>[3] '0' is not a TCP port",
        "<images>/<image name=web>/<ssh>/<user> 'root; rm -rf /' is not a login name",
        "<images>/<image name=web>/<ssh>/<port> is 70000",
        "<images>/<image name=web>/<ssh>/<allowedCidrs> '10.0.0.0/33' is not a CIDR",
        "<images>/<image name=web>/<instanceType> 'huge' is not an instance type",
        "<images>/<image name=web>/<rootVolume>/<size> is 0",
        "<images>/<image name=web>/<tags>/<aws:cost> is not a valid tag key",
        "<images>/<image name=web>/<tags>/<Team> has a value with characters EC2 does not take",
        "<images>/<image name=web>/<timeouts>/<instance> '0' is out of range",
        "<images>/<image name=web>/<timeouts>/<image> '-5m' is not a duration",
        "<images>/<image name=web>/<timeouts>/<copy> '100h' is out of range",
        "<images>/<image name=web>/<source>/<owners> 'someone' is not an owner",
        "<images>/<image name=web>/<ssh>/<allowedCidrs> is empty",
]
assert log.contains("Invalid ami-maven-plugin configuration (${expected.size()} problems):")
def missing = expected.findAll { !log.contains(it) }
assert missing.isEmpty() : "not reported: ${missing}"
// one message lists them all, before any cloud call
assert EndpointAdmin.of(endpointUrl, 'it-hostile').totalRequests() == 0 : 'validation must fail before any cloud call'
true
