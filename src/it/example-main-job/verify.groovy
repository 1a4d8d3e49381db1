import groovy.json.JsonSlurper
import io.github.amimaven.testing.it.NestedMaven

// The README's main job: `mvn deploy` on examples/debian-hardened (shell and file provisioning, an Ansible role
// that reboots, a reboot step, testinfra and command checks on a test VM, promotion) on the local platform, into a
// store of its own.
assert new File(baseImage).isFile() : "no base image at ${baseImage}: run scripts/make-base-image.sh (scripts/test.sh does)"
def example = new File(basedir, 'debian-hardened')
def original = new File(basedir, '../../../examples/debian-hardened').canonicalFile.toPath()
java.nio.file.Files.walk(original).withCloseable { paths ->
    paths.filter { !original.relativize(it).toString().startsWith('target') }.each { from ->
        def to = example.toPath().resolve(original.relativize(from).toString())
        if (java.nio.file.Files.isDirectory(from)) {
            java.nio.file.Files.createDirectories(to)
        } else {
            java.nio.file.Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES)
        }
    }
}
def store = new File(basedir, 'store')
def mvn = NestedMaven.start(example, localRepositoryPath.path, outerLocalRepository, [:],
        ["-Dami.localStore=${store}".toString(), "-Dami.baseImage=${baseImage}".toString(), 'deploy'])
def exit = mvn.awaitExit(20 * 60_000)
def log = mvn.output()
new File(basedir, 'example-build.log').text = log
assert exit == 0 : "the example build failed:\n${log}"
assert log.contains('[debian-hardened] hardening applied')
assert log =~ /\[debian-hardened\] back after reboot: boot [0-9a-f-]+, up [0-9.]+ s/
// an Ansible role from rolesPath reboots with Ansible's reboot module, and its settings are live after the boot
assert log.contains('[debian-hardened] RUNNING HANDLER [kernel_hardening : Reboot to apply]')
assert log =~ /\[debian-hardened\] ok: \[default\] => \(item=\{'key': 'kernel.kptr_restrict', 'value': 2\}\)/
// the <reboot> step between two shell steps: a new kernel boot id
assert log =~ /\[debian-hardened\] new boot [0-9a-f-]+ after [0-9.]+ s/
// testinfra (3 tests) and the command checks (7) pass on a VM booted from the candidate
assert log =~ /\[debian-hardened\]\s+3 checks: 3 passed, 0 failed/
assert log =~ /debian-hardened\s+10 check\(s\), 0 failed/
def manifest = new JsonSlurper().parse(new File(example, 'target/ami/manifest.json'))
def image = manifest.images['debian-hardened']
assert image.status == 'released'
// said once, in the summary: the store and the released image
assert log =~ /debian-hardened\s+RELEASED\s+\S+ ${image.candidateId}/
assert !log.contains('ami: released')
def meta = new JsonSlurper().parse(new File(store, "${image.candidateId}.json"))
assert meta.status == 'released'
assert meta.tags['ami:verified'] == 'true'
assert meta.tags['Team'] == 'platform'
assert new File(example, 'target/ami-reports/TEST-ami-debian-hardened.xml').isFile()
// no VM of this build outlives it: each VM directory's owner file names the JVM that launched it
def ownedByThisBuild = { String line ->
    def m = line =~ /-serial file:(\S+)\/console\.log/
    if (!m.find()) {
        return false // not a VM of the local platform
    }
    def owner = new File(m.group(1), 'owner')
    // a VM whose directory is gone was orphaned by whoever deleted it
    !owner.isFile() || owner.text.startsWith("${mvn.pid()} ")
}
assert 'pgrep -af qemu-system'.execute().text.readLines().findAll(ownedByThisBuild) == []
true
