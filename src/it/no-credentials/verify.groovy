def log = new File(basedir, 'build.log').text
assert log.contains('No AWS credentials found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile')
true
