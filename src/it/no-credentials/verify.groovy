def log = new File(basedir, 'build.log').text
def missing = 'No AWS credentials found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile'
assert log.contains(missing)
// the second invocation: ami:plan fails the same way, before any call
assert log.contains('plan (default-cli) on project no-credentials: ' + missing) : "ami:plan did not fail for want of credentials"
true
