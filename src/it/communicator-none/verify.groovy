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
assert admin.liveResources('ap-southeast-2') == []
assert new File(basedir, 'target/ami/env.properties').text =~ /IMAGE_ID=ami-[0-9a-f]+/
true
