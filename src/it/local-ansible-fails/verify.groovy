def log = new File(basedir, 'build.log').text
// the failure names the play's task, and Ansible's own output reached the log under the image's name
assert log.contains("ansible playbook agent.yml failed (exit 2) at task 'Register with the monitoring server'") : log
assert log.contains('[agent] TASK [Mark the machine as provisioned]')
assert log.contains('no server at monitoring.invalid')
// cleanup: no candidate in the store, no QEMU process, no VM directory
def store = new File(basedir, 'target/store')
assert !store.exists() || store.listFiles().findAll { it.name.endsWith('.qcow2') } == []
assert 'pgrep -af qemu-system'.execute().text.readLines().findAll { it.contains('ami-local-') } == []
// the plugin's VM work roots are under its short temp root
def tmp = io.github.amimaven.platform.ShortTemp.root().toFile()
assert tmp.listFiles().findAll { it.name.startsWith('ami-local-') && new File(it, 'owner').exists() && it.list().any { n -> n.startsWith('vm-') } } == []
true
