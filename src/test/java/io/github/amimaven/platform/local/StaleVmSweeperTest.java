package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleVmSweeperTest {

    @TempDir
    Path tmp;

    @Test
    void ownerIdentity() {
        assertTrue(StaleVmSweeper.ownerAlive(StaleVmSweeper.currentOwner()));
        assertFalse(StaleVmSweeper.ownerAlive(ProcessHandle.current().pid() + " 2001-01-01T00:00:00Z"),
                "same pid, other start time: a reused pid");
        assertFalse(StaleVmSweeper.ownerAlive("not-a-pid"));
    }

    @Test
    void killsQemuOfDeadOwnerAndKeepsLiveOnes() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("ami-local-123"));
        Files.writeString(root.resolve(StaleVmSweeper.OWNER_FILE), deadOwner());
        Path stale = Files.createDirectories(root.resolve("vm-dead"));
        Files.writeString(stale.resolve(StaleVmSweeper.OWNER_FILE), deadOwner());
        // a stand-in for QEMU whose command line names its VM directory, as QEMU's does
        Path disk = Files.writeString(stale.resolve("disk.qcow2"), "");
        Process fake = new ProcessBuilder("tail", "-f", disk.toString()).start();
        Files.writeString(stale.resolve(StaleVmSweeper.QEMU_PID_FILE), String.valueOf(fake.pid()));
        Path live = Files.createDirectories(root.resolve("vm-live"));
        Files.writeString(live.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.currentOwner());
        Path unrelated = Files.createDirectories(root.resolve("vm-unowned"));
        try {
            List<String> log = new ArrayList<>();
            List<Path> removed = StaleVmSweeper.sweep(List.of(root), log::add);
            assertEquals(List.of(stale), removed);
            assertTrue(fake.waitFor(10, TimeUnit.SECONDS), "stale QEMU killed");
            assertFalse(Files.exists(stale));
            assertTrue(Files.exists(live));
            assertTrue(Files.exists(unrelated));
            assertTrue(Files.exists(root), "root still holds live VMs");

            Files.delete(live.resolve(StaleVmSweeper.OWNER_FILE));
            Files.delete(live);
            Files.delete(unrelated);
            assertEquals(List.of(root), StaleVmSweeper.sweep(List.of(root), log::add));
            assertFalse(Files.exists(root), "an empty temp root of a dead build goes");
        } finally {
            fake.destroyForcibly();
        }
    }

    @Test
    void neverKillsAProcessThatIsNotTheVms() throws Exception {
        Path vm = Files.createDirectories(tmp.resolve("work").resolve("vm-x"));
        Files.writeString(vm.resolve(StaleVmSweeper.OWNER_FILE), deadOwner());
        Process other = new ProcessBuilder("sleep", "300").start();
        Files.writeString(vm.resolve(StaleVmSweeper.QEMU_PID_FILE), String.valueOf(other.pid()));
        try {
            StaleVmSweeper.sweep(List.of(tmp.resolve("work")), m -> { });
            assertTrue(other.isAlive(), "a reused pid is left alone");
            assertFalse(Files.exists(vm));
        } finally {
            other.destroyForcibly();
        }
    }

    /** An owner that no longer runs: a finished process. */
    private static String deadOwner() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid() + " 2001-01-01T00:00:00Z";
    }
}
