import io.github.amimaven.testing.it.EndpointAdmin

def admin = EndpointAdmin.of(endpointUrl, 'it-secrets').standard()
admin.seedImage('ap-southeast-2', 'base-2026.11', admin.state().get('accountId').asText(), '2026-11-01T00:00:00.000Z')
// the instances' sshds share this machine: the baked-in file must not be left from an earlier run
new File('/tmp/ami-it-secrets').deleteDir()
true
