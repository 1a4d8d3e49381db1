def log = new File(basedir, 'build.log').text
assert log.contains('ami:build')
assert log.contains('Builds a candidate image per <image>')
['region', 'images', 'defaults', 'threads', 'maxAttempts', 'endpoint', 'profile', 'roleArn', 'skip'].each {
    assert log =~ /(?m)^    ${it}( \(Default: [^)]*\))?\r?$/ : "parameter ${it} is not documented"
}
assert log.contains('User property: ami.region')
true
