package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.testing.RequiredTool;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AcceleratorTest {

    static final BuildLog LOG = new BuildLog() {
        @Override public void debug(String m) { }
        @Override public void info(String m) { }
        @Override public void warn(String m) { }
        @Override public void error(String m) { }
    };

    @AfterEach
    void reset() {
        Accelerator.resetCache();
    }

    @Test
    void explicitSettingsSkipTheProbe() {
        Accelerator.KvmProbe failing = () -> {
            throw new AssertionError("probe must not run");
        };
        assertEquals("kvm", Accelerator.choose("kvm", failing, LOG));
        assertEquals("tcg", Accelerator.choose("TCG", failing, LOG));
    }

    @Test
    void autoUsesTheProbeOncePerJvm() {
        AtomicInteger calls = new AtomicInteger();
        Accelerator.KvmProbe works = () -> {
            calls.incrementAndGet();
            return true;
        };
        assertEquals("kvm", Accelerator.choose("auto", works, LOG));
        assertEquals("kvm", Accelerator.choose(null, works, LOG));
        assertEquals(1, calls.get());
    }

    @Test
    void autoFallsBackToTcg() {
        assertEquals("tcg", Accelerator.choose("auto", () -> false, LOG));
    }

    @Test
    void unknownSettingIsAUserError() {
        PlatformException e = assertThrows(PlatformException.class, () -> Accelerator.choose("hvf", () -> true, LOG));
        assertTrue(e.isUserError());
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
