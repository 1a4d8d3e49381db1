package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class QemuMachineTest {

    private static QemuMachine.Spec spec(String accel, Path kernel) {
        return new QemuMachine.Spec("qemu-system-x86_64", accel, 1024, 2, Path.of("/w/vm-1/disk.qcow2"),
                Path.of("/w/vm-1/seed.iso"), 40022, Path.of("/w/vm-1/qmp.sock"), Path.of("/w/vm-1/console.log"),
                kernel, kernel == null ? null : Path.of("/i/initrd"), kernel == null ? null : "root=LABEL=root");
    }

    private static String value(List<String> cmd, String option) {
        int i = cmd.indexOf(option);
        assertTrue(i >= 0, option + " missing in " + cmd);
        return cmd.get(i + 1);
    }

    @Test
    void networkIsRestrictedAndForwardsOnlyLoopbackSsh() {
        List<String> cmd = QemuMachine.commandLine(spec("tcg", null));
        assertEquals("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22", value(cmd, "-netdev"));
        assertTrue(cmd.contains("virtio-net-pci,netdev=net0"));
        assertTrue(cmd.contains("-nodefaults"), "no default NIC or devices");
    }

    @Test
    void tcgUsesMaxCpuAndKvmHostCpu() {
        List<String> tcg = QemuMachine.commandLine(spec("tcg", null));
        assertEquals("tcg", value(tcg, "-accel"));
        assertEquals("max", value(tcg, "-cpu"));
        List<String> kvm = QemuMachine.commandLine(spec("kvm", null));
        assertEquals("kvm", value(kvm, "-accel"));
        assertEquals("host", value(kvm, "-cpu"));
    }

    @Test
    void disksConsoleAndQmp() {
        List<String> cmd = QemuMachine.commandLine(spec("tcg", null));
        assertEquals("qemu-system-x86_64", cmd.get(0));
        assertTrue(cmd.contains("file=/w/vm-1/disk.qcow2,if=none,id=disk0,format=qcow2,discard=unmap"));
        assertTrue(cmd.contains("virtio-blk-pci,drive=disk0,bootindex=0"));
        assertTrue(cmd.contains("file=/w/vm-1/seed.iso,if=none,id=seed0,format=raw,readonly=on"));
        assertEquals("file:/w/vm-1/console.log", value(cmd, "-serial"));
        assertEquals("unix:/w/vm-1/qmp.sock,server=on,wait=off", value(cmd, "-qmp"));
        assertEquals("1024", value(cmd, "-m"));
        assertEquals("2", value(cmd, "-smp"));
        assertFalse(cmd.contains("-kernel"), "a disk boots through its own boot loader by default");
        assertFalse(cmd.contains("-no-reboot"), "guest reboots must work");
    }

    @Test
    void directKernelBoot() {
        List<String> cmd = QemuMachine.commandLine(spec("tcg", Path.of("/i/vmlinuz")));
        assertEquals("/i/vmlinuz", value(cmd, "-kernel"));
        assertEquals("/i/initrd", value(cmd, "-initrd"));
        assertEquals("root=LABEL=root", value(cmd, "-append"));
    }

    @Test
    void commasInPathsAreEscaped() {
        QemuMachine.Spec s = new QemuMachine.Spec("q", "tcg", 512, 1, Path.of("/a,b/disk.qcow2"), null, 1,
                Path.of("/q"), Path.of("/c"), null, null, null);
        List<String> cmd = QemuMachine.commandLine(s);
        assertTrue(cmd.contains("file=/a,,b/disk.qcow2,if=none,id=disk0,format=qcow2,discard=unmap"));
        assertFalse(String.join(" ", cmd).contains("seed0"));
    }
}
