import io.github.amimaven.testing.it.EndpointAdmin

def log = new File(basedir, 'build.log').text
assert log.count('BUILD SUCCESS') == 2
def sso = EndpointAdmin.of(endpointUrl, 'it-sso')
def role = EndpointAdmin.of(endpointUrl, 'it-sso-role')
// the endpoint's accounts are the access keys that signed the calls: the first build's EC2 calls were signed with
// the key the SSO portal returned, the second build's with the role's, assumed with it
assert sso.requests('GetRoleCredentials') >= 2
assert sso.requests('DescribeInstances') > 0
assert sso.requests('AssumeRole') == 1
assert role.requests('DescribeInstances') > 0
true
