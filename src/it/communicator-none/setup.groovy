import io.github.amimaven.testing.it.EndpointAdmin
def admin = EndpointAdmin.of(endpointUrl, 'it-none').standard()
// the endpoint's instances power themselves off 2 s after they run, as this image's user data makes them
admin.configure([guestShutdownAfterMs: 2000])
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')
true
