package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {

    static final BuildLog LOG = CollectingLog.quiet();

    @AfterEach
    void reset() {
        Accelerator.resetCache();
    }

    private static final String HOST = "kernel test; QEMU emulator version 0; /x";

    private static Accelerator.Choice choose(String setting, Path cache, Accelerator.KvmProbe probe) {
        return Accelerator.choose(setting, HOST, cache, probe, LOG);
    }

    @Test
    void explicitSettingsSkipTheProbe() {
        Accelerator.KvmProbe failing = () -> {
            throw new AssertionError("probe must not run");
        };
        assertEquals(new Accelerator.Choice("kvm", "kvm", false), choose("kvm", null, failing));
        assertEquals(new Accelerator.Choice("tcg", "tcg", true), choose("TCG", null, failing));
        assertTrue(choose("kvm", null, failing).forced());
    }

    @Test
    void autoUsesTheProbeOncePerJvmAndHost() {
        AtomicInteger calls = new AtomicInteger();
        Accelerator.KvmProbe works = () -> {
            calls.incrementAndGet();
            return true;
        };
        Accelerator.Choice first = choose("auto", null, works);
        assertEquals("kvm", first.accelerator());
        assertTrue(first.needsConfirmation(), "the probe's word alone: the first guest must confirm KVM");
        assertEquals("kvm", choose(null, null, works).accelerator());
        assertEquals(1, calls.get());
        Accelerator.choose("auto", "another host", null, works, LOG);
        assertEquals(2, calls.get());
    }

    @Test
    void autoFallsBackToTcg() {
        assertEquals("tcg", choose("auto", null, () -> false).accelerator());
    }

    @Test
    void unknownSettingIsAUserErrorNamingTheSetting() {
        PlatformException e = assertThrows(PlatformException.class, () -> choose("hvf", null, () -> true));
        assertTrue(e.isUserError());
        assertTrue(e.getMessage().contains("<local><accelerator>"), e.getMessage());
    }

    /** A real guest's verdict outlives the JVM: a later build (a new JVM) takes it without probing. */
    @Test
    void aGuestsVerdictIsKeptPerHostInTheCacheFile(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache/accelerator.json");
        Accelerator.remember(HOST, cache, new Accelerator.Verdict("tcg", "KVM internal error", Instant.now()), LOG);
        Accelerator.remember("other host", cache, new Accelerator.Verdict("kvm", "booted", Instant.now()), LOG);
        Accelerator.resetCache();
        Accelerator.KvmProbe failing = () -> {
            throw new AssertionError("a known host is not probed again");
        };
        Accelerator.Choice c = choose("auto", cache, failing);
        assertEquals(new Accelerator.Choice("tcg", "auto", true), c);
        assertEquals("kvm", Accelerator.choose("auto", "other host", cache, failing, LOG).accelerator());
        assertFalse(Accelerator.choose("auto", "other host", cache, failing, LOG).needsConfirmation());
        assertTrue(Files.readString(cache).contains("KVM internal error"));
        // a new kernel or QEMU is a new host: probed again
        assertEquals("kvm", Accelerator.choose("auto", "kernel 7", cache, () -> true, LOG).accelerator());
    }

    @Test
    void aDamagedCacheOnlyCostsANewDecision(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("accelerator.json");
        Files.writeString(cache, "{ not json");
        assertEquals("kvm", choose("auto", cache, () -> true).accelerator());
        Accelerator.remember(HOST, cache, new Accelerator.Verdict("tcg", "fault", Instant.now()), LOG);
        assertTrue(Files.readString(cache).contains("\"tcg\""));
    }

    @Test
    void hostKeyNamesKernelAndQemu() {
        String key = Accelerator.hostKey("/nonexistent/qemu");
        assertTrue(key.startsWith("kernel "), key);
        assertTrue(key.contains("unknown"), key);
    }

    @Test
    void probeUsesTheCpuModelOfARealVm() {
        java.util.List<String> cmd = Accelerator.probeCommand("q", "kvm", Path.of("d"));
        assertEquals("host", cmd.get(cmd.indexOf("-cpu") + 1));
    }

    @Test
    void exitCodes() {
        assertTrue(Accelerator.interpretExit(33));
        assertFalse(Accelerator.interpretExit(0));
        assertFalse(Accelerator.interpretExit(1));
        assertFalse(Accelerator.interpretExit(137));
    }

    @Test
    void bootSector() {
        byte[] b = Accelerator.bootSector();
        assertEquals(512, b.length);
        assertEquals(0x55, b[510] & 0xff);
        assertEquals(0xAA, b[511] & 0xff);
        assertEquals(0xB0, b[0] & 0xff);
        assertEquals(Accelerator.PROBE_VALUE, b[1]);
        assertEquals(0xE6, b[2] & 0xff);
        assertEquals(0xF4, b[3] & 0xff);
    }

    /** The probe's boot sector really exits QEMU with the expected code (under TCG, which works everywhere). */
    @Test
    void bootSectorRunsUnderTcg() {
        RequiredTool.program("qemu-system-x86_64", "qemu-system-x86");
        assertTrue(Accelerator.bootTest("qemu-system-x86_64", "tcg", Duration.ofSeconds(20)));
    }
}
