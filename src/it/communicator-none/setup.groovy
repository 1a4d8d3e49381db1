import io.github.amimaven.testing.it.EndpointAdmin
def admin = EndpointAdmin.of(endpointUrl, 'it-none').standard()
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')
true
