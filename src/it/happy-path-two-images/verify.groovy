import io.github.amimaven.testing.it.EndpointAdmin
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-happy-path')
def region = 'ap-southeast-2'
def expectedSource = new File(basedir, 'expected-source.txt').text

// remote output streamed line by line with the image's name
assert log.contains('[web] hello from ')
assert log.contains('[web] greeting is kia ora')
assert log.contains('[web] motd says: Authorised access only')
assert log.contains('[db] db provisioning step')
assert log =~ /\[web\] source image ${expectedSource} \(CentOS Linux 7 x86_64 HVM EBS 2002_01/
// the two images ran at the same time: db started before web finished
assert log.indexOf('[db] ==> Resolving source image') < log.indexOf('[web] ==> Creating candidate image')
assert log.indexOf('[web] ==> Resolving source image') < log.indexOf('[db] ==> Creating candidate image')

// the manifest, env.properties
def manifest = new JsonSlurper().parse(new File(basedir, 'target/ami/manifest.json'))
assert manifest.images.keySet() == ['web', 'db'] as Set
manifest.images.each { name, image ->
    assert image.candidateId ==~ /ami-[0-9a-f]{17}/
    assert image.region == region
    assert image.sourceImageId == expectedSource
    assert image.imageName ==~ /${name}-\d{8}-\d{6}/
}
def env = new Properties()
new File(basedir, 'target/ami/env.properties').withInputStream { env.load(it) }
assert env.IMAGE_ID_WEB == manifest.images.web.candidateId
assert env.IMAGE_ID_DB == manifest.images.db.candidateId
assert env.IMAGE_ID == null

// in the cloud: two available candidates tagged as such, nothing temporary left
def images = admin.images(region).findAll { it.get('ownerId').asText() != '679593333241' && it.get('ownerId').asText() != '099720109477' }
assert images.size() == 2
images.each { image ->
    assert image.get('state').asText() == 'available'
    assert image.get('tags').get('ami:status').asText() == 'candidate'
    assert image.get('tags').get('Team').asText() == 'platform'
    assert image.get('tags').get('ami:project').asText() == 'com.example.images:happy-path-two-images'
    assert image.get('launchPermissionUserIds').size() == 0 && image.get('launchPermissionGroups').size() == 0
}
assert images.find { it.get('tags').get('ami:image').asText() == 'web' }.get('tags').get('Role').asText() == 'web'
def candidateSnapshots = images.collectMany { img -> img.get('snapshotIds').collect { it.asText() } } as Set
assert candidateSnapshots.size() == 2
admin.snapshots(region).findAll { it.get('snapshotId').asText() in candidateSnapshots }.each {
    assert it.get('tags').get('ami:status').asText() == 'candidate'
}
assert admin.liveResources(region) == []
def builders = admin.instances(region)
assert builders.size() == 2
assert builders.every { it.get('state').asText() == 'terminated' && it.get('httpTokens').asText() == 'required' }
assert builders.find { it.get('tags').get('ami:image').asText() == 'web' }.get('instanceType').asText() == 't3.small'
assert builders.find { it.get('tags').get('ami:image').asText() == 'db' }.get('instanceType').asText() == 't3.micro'
true
