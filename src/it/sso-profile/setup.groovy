import io.github.amimaven.testing.it.EndpointAdmin
import java.security.MessageDigest
import java.time.Duration
import java.time.Instant

def sso = EndpointAdmin.of(endpointUrl, 'it-sso').standard()
def role = EndpointAdmin.of(endpointUrl, 'it-sso-role').standard()
assert role.state().get('accountId').asText() == '633650086075' : 'invoker.properties names the role by this account id'
def aws = new File(basedir, 'home/.aws')
new File(aws, 'sso/cache').mkdirs()
new File(aws, 'config').text = """[profile sso]
sso_session = corp
sso_account_id = ${sso.state().get('accountId').asText()}
sso_role_name = ImageBuilder
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
"""
new File(aws, 'credentials').text = ''
// what aws sso login caches: a file named by the SHA-1 of the session's name
def cacheName = MessageDigest.getInstance('SHA-1').digest('corp'.getBytes('UTF-8')).encodeHex().toString()
new File(aws, "sso/cache/${cacheName}.json").text = """{"accessToken": "it-sso-access-token",
 "expiresAt": "${Instant.now().plus(Duration.ofHours(2))}", "region": "eu-west-1",
 "startUrl": "https://corp.awsapps.com/start"}"""
true
