import io.github.amimaven.testing.it.EndpointAdmin
def admin = EndpointAdmin.of(endpointUrl, 'it-resume').standard()
// the release copy takes a few seconds; verify.groovy makes the region copies slower once it has started
admin.configure([delays: [all: 150, imageCopy: 5000]])
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')
true
