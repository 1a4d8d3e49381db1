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
// launched to stop, not end, when its user data powers it off; captured once it had, with no stop from the build
assert admin.lastRequest('RunInstances').get('InstanceInitiatedShutdownBehavior').asText() == 'stop'
assert admin.requests('StopInstances') == 0
def stopped = (log =~ /builder i-[0-9a-f]+ stopped itself after ([0-9.]+) s/)
assert stopped.find() : 'the build did not wait for the builder to stop itself'
assert (stopped.group(1) as double) >= 2
assert log.indexOf('stopped itself after') < log.indexOf('pending, waiting until available')
// nothing is deleted after the builder, so the build only asks EC2 to terminate it; the endpoint, like EC2, ends it
assert log.contains("terminating builder ${builder.get('instanceId').asText()}")
def deadline = System.currentTimeMillis() + 10_000
while (admin.instances('ap-southeast-2')[0].get('state').asText() != 'terminated' && System.currentTimeMillis() < deadline) {
    Thread.sleep(100)
}
assert admin.liveResources('ap-southeast-2') == []
assert new File(basedir, 'target/ami/env.properties').text =~ /IMAGE_ID=ami-[0-9a-f]+/
true
