import io.github.amimaven.testing.it.EndpointAdmin
def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-throttled')
assert log.contains('[throttled] provisioned despite throttling')
assert log.contains('BUILD SUCCESS')
assert admin.throttled() > 0 : 'the endpoint throttled nothing, so this test proves nothing'
assert admin.liveResources('ap-southeast-2') == []
def candidates = admin.images('ap-southeast-2').findAll { it.get('tags').path('ami:status').asText() == 'candidate' }
assert candidates.size() == 1 && candidates[0].get('state').asText() == 'available'
println "throttled ${admin.throttled()} of ${admin.totalRequests()} calls"
true
