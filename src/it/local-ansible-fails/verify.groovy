import io.github.amimaven.testing.it.LocalVms

def log = new File(basedir, 'build.log').text
// the failure names the play's task, and Ansible's own output reached the log under the image's name
assert log.contains("ansible playbook agent.yml failed (exit 2) at task 'Register with the monitoring server'") : log
assert log.contains('[agent] TASK [Mark the machine as provisioned]')
assert log.contains('no server at monitoring.invalid')
// cleanup: no candidate in the store; nothing left of the build's VM: no QEMU process, no directory, no work root
def store = new File(basedir, 'target/store')
assert !store.exists() || store.listFiles().findAll { it.name.endsWith('.qcow2') } == []
assert LocalVms.leftovers(LocalVms.launched(log)) == []
true
