import io.github.amimaven.testing.it.EndpointAdmin
def admin = EndpointAdmin.of(endpointUrl, 'it-ctrl-c').standard()
// the candidate stays pending long enough to be interrupted while the build waits for it
admin.configure([delays: [imagePending: 120000]])
// and terminating the builder takes a while, so that a second Ctrl-C meets the cleanup
admin.configure([delays: [instanceShuttingDown: 6000]])
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')
true
