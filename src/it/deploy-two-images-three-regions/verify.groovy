import io.github.amimaven.testing.it.EndpointAdmin
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-deploy')
def home = 'ap-southeast-2'
def regions = [home, 'us-east-1', 'us-west-2']
def account = admin.state().get('accountId').asText()

assert log.contains('BUILD SUCCESS')
assert log =~ /web\s+1 check\(s\), 0 failed/
assert log =~ /db\s+1 check\(s\), 0 failed/
// the copies of both images ran at the same time
assert log.indexOf('[db] copy to us-west-2: ') > 0 && log.indexOf('[web] copy to us-west-2: ') > 0

// the manifest: both images released in three regions, published
def manifest = new JsonSlurper().parse(new File(basedir, 'target/ami/manifest.json'))
assert manifest.images.keySet() == ['web', 'db'] as Set
def web = manifest.images.web
def db = manifest.images.db
[web, db].each { image ->
    assert image.status == 'released'
    assert image.regions.keySet() == regions as Set
    assert image.sharedWith.accounts == ['111122223333']
    regions.each { r -> assert image.parameters[r].values().toList() == [image.regions[r]] }
}
assert web.promotion == 'copy' && db.promotion == 'tag'
assert web.imageName ==~ /candidate-web-\d{8}-\d{6}/
assert web.releaseName == web.imageName - 'candidate-'
assert web.releasedId != web.candidateId
assert db.releasedId == db.candidateId
assert web.parameters[home]['/images/web/latest'] == web.releasedId
assert db.parameters['us-east-1']['/images/db/latest'] == db.regions['us-east-1']
assert web.launchTemplates.size() == 1 && web.launchTemplates[0].version == 2 && web.launchTemplates[0].defaultVersion
assert web.launchTemplates[0].imageId == web.releasedId

// the manifest artifact, versioned like the project, in the local repository and the team's repository
def path = 'com/example/images/deploy-two-images-three-regions/1.0.0/deploy-two-images-three-regions-1.0.0.json'
[new File(localRepositoryPath, path), new File(basedir, 'target/remote-repo/' + path)].each { artifact ->
    assert artifact.isFile() : "no manifest artifact at ${artifact}"
    def installed = new JsonSlurper().parse(artifact)
    assert installed == manifest : "${artifact} is not the released manifest"
}

// in the cloud: per region one released image of each, tagged with its snapshots, shared, published
regions.each { r ->
    def own = admin.images(r).findAll { it.get('ownerId').asText() == account && it.get('tags').path('ami:image').asText() }
    assert own.size() == 2 : "${r}: ${own}"
    own.each { image ->
        def name = image.get('tags').get('ami:image').asText()
        assert image.get('imageId').asText() == manifest.images[name].regions[r]
        assert image.get('state').asText() == 'available'
        assert image.get('tags').get('ami:status').asText() == 'released'
        assert image.get('tags').get('ami:role').asText() == 'release'
        assert image.get('tags').get('Team').asText() == 'platform'
        assert image.get('launchPermissionUserIds').collect { it.asText() } == ['111122223333']
        image.get('snapshotIds').each { snapshotId ->
            def snap = admin.snapshots(r).find { it.get('snapshotId').asText() == snapshotId.asText() }
            assert snap.get('tags').get('ami:status').asText() == 'released'
            assert snap.get('createVolumePermissionUserIds').collect { it.asText() } == ['111122223333']
            assert snap.get('encrypted').asBoolean() == (r == 'us-east-1')
        }
    }
    def parameters = admin.region(r).path('parameters').collectEntries { [(it.get('name').asText()): it.get('value').asText()] }
    assert parameters == ['/images/web/latest': web.regions[r], '/images/db/latest': db.regions[r]]
    assert admin.liveResources(r) == []
}
assert admin.images(home).every { !it.get('name').asText().startsWith('candidate-') } : 'the web candidate was deleted'
def template = admin.region(home).path('launchTemplates').get(0)
assert template.get('defaultVersion').asInt() == 2
assert template.get('versions').get(1).get('imageId').asText() == web.releasedId
assert template.get('versions').get(1).get('instanceType').asText() == 't3.small'
assert new File(basedir, 'target/ami/env.properties').text.contains("IMAGE_ID_WEB_US_EAST_1=${web.regions['us-east-1']}")
true
