package io.github.amimaven.platform.local;

import io.github.amimaven.log.BuildLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Chooses QEMU's accelerator: KVM only when a real boot shows it works, else TCG (pure emulation: slower, but
 * works everywhere). Opening {@code /dev/kvm} is not enough: on some hosts (nested virtualisation) a KVM guest
 * hangs. The probe boots a 512-byte boot sector under KVM that writes to QEMU's {@code isa-debug-exit} port, so a
 * working KVM makes QEMU exit with a known code within a second or two; anything else (a hang, an error) means
 * TCG. The result is kept for the life of the JVM.
 */
public final class Accelerator {

    public static final String KVM = "kvm";
    public static final String TCG = "tcg";

    /** The value the boot sector writes; QEMU exits with {@code (value << 1) | 1}. */
    static final int PROBE_VALUE = 0x10;
    static final int PROBE_EXIT_CODE = (PROBE_VALUE << 1) | 1;

    /** Whether KVM works: a boot test, or a fake in tests. */
    @FunctionalInterface
    public interface KvmProbe {
        boolean kvmWorks();
    }

    private static final Object LOCK = new Object();
    private static Boolean cachedKvmWorks;

    private Accelerator() {
    }

    /**
     * The accelerator to use for a setting: {@code kvm} and {@code tcg} are taken as they are, {@code auto} (or
     * null/blank) asks the probe, once per JVM.
     */
    public static String choose(String setting, KvmProbe probe, BuildLog log) {
        String s = setting == null || setting.isBlank() ? "auto" : setting.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case KVM:
                return KVM;
            case TCG:
                return TCG;
            case "auto":
                boolean kvm = kvmWorksCached(probe);
                log.debug("QEMU accelerator: " + (kvm ? "kvm (boot probe passed)" : "tcg (KVM unavailable or its boot probe failed)"));
                return kvm ? KVM : TCG;
            default:
                throw new io.github.amimaven.platform.PlatformException(
                        "unknown accelerator '" + setting + "': use auto, kvm or tcg", true);
        }
    }

    static boolean kvmWorksCached(KvmProbe probe) {
        synchronized (LOCK) {
            if (cachedKvmWorks == null) {
                cachedKvmWorks = probe.kvmWorks();
            }
            return cachedKvmWorks;
        }
    }

    /** Forgets the cached probe result (tests). */
    static void resetCache() {
        synchronized (LOCK) {
            cachedKvmWorks = null;
        }
    }

    /** The real probe: {@code /dev/kvm} must be readable and writable, and a boot sector must run under KVM. */
    public static KvmProbe bootProbe(String qemuBinary, Duration timeout) {
        return () -> {
            Path dev = Path.of("/dev/kvm");
            if (!Files.isReadable(dev) || !Files.isWritable(dev)) {
                return false;
            }
            return bootTest(qemuBinary, KVM, timeout);
        };
    }

    /** Boots the probe sector with {@code accel}; true when QEMU exits with the probe's code in time. */
    static boolean bootTest(String qemuBinary, String accel, Duration timeout) {
        Path dir = null;
        Process p = null;
        try {
            dir = Files.createTempDirectory("ami-kvm-probe-");
            Path disk = dir.resolve("probe.img");
            Files.write(disk, bootSector());
            p = new ProcessBuilder(probeCommand(qemuBinary, accel, disk)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu.log").toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            return interpretExit(p.exitValue());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            Exec.kill(p);
            try {
                Exec.deleteRecursively(dir);
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }

    static List<String> probeCommand(String qemuBinary, String accel, Path disk) {
        return List.of(qemuBinary, "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none",
                "-serial", "none", "-accel", accel, "-machine", "pc", "-m", "16",
                "-drive", "file=" + disk + ",format=raw,if=ide,index=0",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04");
    }

    static boolean interpretExit(int exitCode) {
        return exitCode == PROBE_EXIT_CODE;
    }

    /** {@code mov al, PROBE_VALUE; out 0xf4, al; hlt; jmp hlt}, padded, with the boot signature. */
    static byte[] bootSector() {
        byte[] b = new byte[512];
        byte[] code = {(byte) 0xB0, (byte) PROBE_VALUE, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4, (byte) 0xEB, (byte) 0xFD};
        System.arraycopy(code, 0, b, 0, code.length);
        b[510] = 0x55;
        b[511] = (byte) 0xAA;
        return b;
    }
}
