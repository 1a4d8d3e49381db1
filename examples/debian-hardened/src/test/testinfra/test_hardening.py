"""Checks run by testinfra from the build machine against a VM booted from the candidate image."""


def test_hardening_sysctls_are_live(host):
    assert host.sysctl("net.ipv4.conf.all.log_martians") == 1
    assert host.sysctl("kernel.kptr_restrict") == 2


def test_sysctl_file_is_managed(host):
    conf = host.file("/etc/sysctl.d/60-hardening.conf")
    assert conf.exists
    assert conf.user == "root"
    assert conf.mode == 0o644
    assert conf.contains("managed by the kernel_hardening role")


def test_sshd_runs_hardened(host):
    assert host.service("ssh").is_running
    assert host.socket("tcp://0.0.0.0:22").is_listening
    config = host.run("sudo sshd -T").stdout
    assert "permitrootlogin no" in config
    assert "x11forwarding no" in config
