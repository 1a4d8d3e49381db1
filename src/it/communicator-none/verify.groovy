import io.github.amimaven.testing.it.EndpointAdmin
def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-none')
assert log.contains('BUILD SUCCESS')
assert !log.contains('Waiting for SSH')
assert admin.requests('ImportKeyPair') == 0
assert admin.requests('CreateSecurityGroup') == 0
def builder = admin.instances('ap-southeast-2')[0]
assert new String(Base64.decoder.decode(builder.get('userData').asText())).contains('configured by user data')
assert builder.get('keyName').isNull()
// nothing is deleted after the builder, so the build only asks EC2 to terminate it; the endpoint, like EC2, ends it
assert log.contains("terminating builder ${builder.get('instanceId').asText()}")
def deadline = System.currentTimeMillis() + 10_000
while (admin.instances('ap-southeast-2')[0].get('state').asText() != 'terminated' && System.currentTimeMillis() < deadline) {
    Thread.sleep(100)
}
assert admin.liveResources('ap-southeast-2') == []
assert new File(basedir, 'target/ami/env.properties').text =~ /IMAGE_ID=ami-[0-9a-f]+/
true
