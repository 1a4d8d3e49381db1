import io.github.amimaven.testing.it.EndpointAdmin
import groovy.json.JsonSlurper
def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-parent-pom')
def region = 'ap-southeast-2'
assert log.contains('[company-base] company hardening applied')
assert log.contains('[team-app] team app installed')
def manifest = new JsonSlurper().parse(new File(basedir, 'child/target/ami/manifest.json'))
assert manifest.images.keySet() == ['company-base', 'team-app'] as Set
def builders = admin.instances(region)
assert builders.size() == 2
// the child's <defaults><instanceType> overrode the parent's for both images; other defaults were kept
assert builders.every { it.get('instanceType').asText() == 't3.large' }
def images = admin.images(region).findAll { it.get('tags').path('ami:status').asText() == 'candidate' }
assert images.size() == 2
assert images.every { it.get('tags').get('CostCentre').asText() == '1234' }
assert images.find { it.get('tags').get('ami:image').asText() == 'team-app' }.get('tags').get('Team').asText() == 'payments'
assert admin.liveResources(region) == []
true
