package io.github.amimaven.platform.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** One VM of the local platform: its files, its QEMU, and how far its life has come. */
final class Vm {
    final String id;
    final String sourceId;
    volatile Disks.DiskSource source;
    volatile Integer sizeGb;
    volatile Accelerator.Choice choice;
    final CountDownLatch cleanedUp = new CountDownLatch(1);
    final AtomicInteger pendingCaptures = new AtomicInteger();
    volatile Path dir;
    volatile Path overlay;
    volatile Path seed;
    volatile Path qmpSocket;
    volatile int sshPort;
    volatile QemuMachine machine;
    volatile boolean terminated;
    volatile boolean stopRequested;

    Vm(String id, String sourceId) {
        this.id = id;
        this.sourceId = sourceId;
    }

    Path consoleLog() {
        return dir == null ? null : dir.resolve("console.log");
    }

    /** QEMU's last output and the console's last lines, to end an error message with. */
    String diagnostics() {
        if (machine == null) {
            return "";
        }
        String q = machine.qemuOutputTail();
        String c = machine.consoleTail(15);
        return (q.isEmpty() ? "" : "\nQEMU: " + q) + (c.isEmpty() ? "" : "\nconsole (last lines):\n" + c);
    }
}
