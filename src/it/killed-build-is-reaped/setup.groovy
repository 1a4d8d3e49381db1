import io.github.amimaven.testing.it.EndpointAdmin
def admin = EndpointAdmin.of(endpointUrl, 'it-killed').standard()
// the candidate stays pending long enough for the build to be killed while it waits for it
admin.configure([delays: [imagePending: 300000]])
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')
true
