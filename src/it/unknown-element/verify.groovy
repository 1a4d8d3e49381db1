def log = new File(basedir, 'build.log').text
assert log.contains('unknown element <instancetype> in <image>/<defaults>. Did you mean <instanceType>?')
true
