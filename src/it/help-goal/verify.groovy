def log = new File(basedir, 'build.log').text
assert log.contains('ami:build')
assert log.contains('Builds a candidate image per <image>')
['region', 'images', 'defaults', 'threads', 'maxAttempts', 'endpoint', 'profile', 'roleArn', 'skip'].each {
    assert log =~ /(?m)^    ${it}( \(Default: [^)]*\))?\r?$/ : "parameter ${it} is not documented"
}
assert log.contains('User property: ami.region')
// the second invocation lists every goal
['build', 'clean-orphans', 'deploy', 'help', 'integration-test', 'plan', 'prune', 'validate', 'verify'].each {
    assert log =~ /(?m)^ami:${it}\r?$/ : "goal ${it} is not listed"
}
assert log.contains('Prints what mvn deploy would do')
true
