import io.github.amimaven.testing.it.EndpointAdmin
def log = new File(basedir, 'build.log').text
def admin = EndpointAdmin.of(endpointUrl, 'it-no-match')
assert log.contains("no available image in ap-southeast-2 matches <source> (name 'CentOS Linux 9*', owners 679593333241): check <source><name>, <owners> and <filters>")
assert log.contains('[nomatch] FAILED at step \'Resolving source image\'')
assert admin.requests('RunInstances') == 0
assert admin.requests('ImportKeyPair') == 0
assert admin.liveResources('ap-southeast-2') == []
true
