package io.github.amimaven.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.process.LocalProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Chooses QEMU's accelerator: KVM only when it runs real guests, else TCG (pure emulation: slower, but works
 * everywhere).
 *
 * <p>Opening {@code /dev/kvm} is not enough. Hosts differ: on one a KVM guest hangs in its firmware, on another QEMU
 * aborts when it sets the host CPU's MSRs, on a third a boot sector runs but the real guest kernel faults at its
 * first {@code cmpxchg16b} ("KVM internal error"). So {@code auto} decides in two stages. A boot probe (a 512-byte
 * boot sector under KVM, with the same CPU model as a real VM, writing to QEMU's {@code isa-debug-exit} port) rules
 * out the first two in a few seconds. The first real guest then confirms it: {@link AcceleratorFallback} watches it
 * until its SSH server answers and, on a fault or no progress, relaunches it under TCG. That verdict, unlike the
 * probe's, is remembered per host (kernel and QEMU version) in a small cache file, so later builds pay for neither.</p>
 */
public final class Accelerator {

    public static final String KVM = "kvm";
    public static final String TCG = "tcg";
    public static final String AUTO = "auto";

    /** The value the boot sector writes; QEMU exits with {@code (value << 1) | 1}. */
    static final int PROBE_VALUE = 0x10;
    static final int PROBE_EXIT_CODE = (PROBE_VALUE << 1) | 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether KVM passes the boot probe: a boot test, or a fake in tests. */
    @FunctionalInterface
    public interface KvmProbe {
        boolean kvmWorks();
    }

    /**
     * What {@link #choose} decided.
     *
     * @param accelerator {@code kvm} or {@code tcg}
     * @param setting the setting it came from: {@code auto}, {@code kvm} or {@code tcg}
     * @param confirmed a real guest has already shown this accelerator works here (or the setting forces it)
     */
    public record Choice(String accelerator, String setting, boolean confirmed) {

        boolean isKvm() {
            return KVM.equals(accelerator);
        }

        /** KVM chosen by {@code auto} on the probe's word alone: the first guest must confirm it. */
        boolean needsConfirmation() {
            return isKvm() && AUTO.equals(setting) && !confirmed;
        }

        boolean forced() {
            return !AUTO.equals(setting);
        }
    }

    /**
     * A real guest's verdict on KVM for one host, kept for the JVM and in a cache file.
     *
     * @param accelerator what to use on this host
     * @param reason why, for the log
     */
    public record Verdict(String accelerator, String reason, Instant decided) {
    }

    private static final Map<String, Boolean> PROBES = new ConcurrentHashMap<>();
    private static final Map<String, Verdict> VERDICTS = new ConcurrentHashMap<>();

    private Accelerator() {
    }

    /** The setting, normalised; refuses anything but auto, kvm and tcg. */
    static String setting(String setting) {
        String s = setting == null || setting.isBlank() ? AUTO : setting.strip().toLowerCase(Locale.ROOT);
        if (!List.of(AUTO, KVM, TCG).contains(s)) {
            throw new PlatformException("unknown accelerator '" + setting + "': set <local><accelerator> to auto, kvm or tcg",
                    true);
        }
        return s;
    }

    /**
     * The accelerator to use: {@code kvm} and {@code tcg} are taken as they are; {@code auto} takes a real guest's
     * earlier verdict for this host (this JVM's, then the cache file's), else asks the probe (once per JVM and host).
     */
    public static Choice choose(String setting, String hostKey, Path cacheFile, KvmProbe probe, BuildLog log) {
        String s = setting(setting);
        if (!AUTO.equals(s)) {
            // a forced KVM is still watched while its first guest boots, so that a fault fails at once
            return new Choice(s, s, TCG.equals(s) || verdict(hostKey, cacheFile).map(v -> v.accelerator().equals(KVM)).orElse(false));
        }
        Optional<Verdict> known = verdict(hostKey, cacheFile);
        if (known.isPresent()) {
            log.debug("QEMU accelerator: " + known.get().accelerator() + " (decided " + known.get().decided() + ": "
                    + known.get().reason() + "; cache " + cacheFile + ")");
            return new Choice(known.get().accelerator(), s, true);
        }
        boolean kvm = PROBES.computeIfAbsent(hostKey, k -> probe.kvmWorks());
        log.debug("QEMU accelerator: " + (kvm ? "kvm (boot probe passed; the first VM confirms it)"
                : "tcg (KVM unavailable or its boot probe failed)"));
        return new Choice(kvm ? KVM : TCG, s, false);
    }

    /** The verdict a real guest gave on this host, from this JVM or the cache file. */
    static Optional<Verdict> verdict(String hostKey, Path cacheFile) {
        Verdict v = VERDICTS.get(hostKey);
        if (v != null) {
            return Optional.of(v);
        }
        if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return Optional.empty();
        }
        try {
            JsonNode entry = JSON.readTree(cacheFile.toFile()).path(hostKey);
            if (!entry.isObject()) {
                return Optional.empty();
            }
            String accel = entry.path("accelerator").asText();
            if (!KVM.equals(accel) && !TCG.equals(accel)) {
                return Optional.empty();
            }
            v = new Verdict(accel, entry.path("reason").asText(""), Instant.parse(entry.path("decided").asText()));
            VERDICTS.put(hostKey, v);
            return Optional.of(v);
        } catch (IOException | RuntimeException e) {
            // a damaged cache only costs a new decision
            return Optional.empty();
        }
    }

    /** Remembers a real guest's verdict for this JVM and in the cache file (best effort: a read-only home is fine). */
    static void remember(String hostKey, Path cacheFile, Verdict verdict, BuildLog log) {
        VERDICTS.put(hostKey, verdict);
        if (cacheFile == null) {
            return;
        }
        try {
            Files.createDirectories(cacheFile.getParent());
            ObjectNode all = JSON.createObjectNode();
            try {
                if (Files.isRegularFile(cacheFile) && JSON.readTree(cacheFile.toFile()) instanceof ObjectNode o) {
                    all = o;
                }
            } catch (IOException damaged) {
                // written anew
            }
            ObjectNode entry = all.putObject(hostKey);
            entry.put("accelerator", verdict.accelerator());
            entry.put("reason", verdict.reason());
            entry.put("decided", verdict.decided().toString());
            Path tmp = Files.createTempFile(cacheFile.getParent(), ".accelerator", ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
            Files.move(tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            log.debug("could not write the accelerator cache " + cacheFile + ": " + e.getMessage());
        }
    }

    /** The default cache file: {@code $XDG_CACHE_HOME/ami-maven-plugin/accelerator.json}, or under {@code ~/.cache}. */
    public static Path defaultCacheFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ami-maven-plugin").resolve("accelerator.json");
    }

    /**
     * What a verdict holds for: this kernel, this QEMU (its version line) and this binary. A kernel or QEMU upgrade
     * may change what KVM does, so it asks again.
     */
    static String hostKey(String qemuBinary) {
        String kernel;
        try {
            kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            kernel = System.getProperty("os.version");
        }
        String version;
        try {
            version = LocalProcess.output(List.of(qemuBinary, "--version"), Duration.ofSeconds(10)).lines().findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            version = "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            version = "unknown";
        }
        String binary = LocalProcess.onPath(qemuBinary).map(Path::toString).orElse(qemuBinary);
        return "kernel " + kernel + "; " + version.strip() + "; " + binary;
    }

    /** Forgets every probe result and verdict of this JVM (tests). */
    static void resetCache() {
        PROBES.clear();
        VERDICTS.clear();
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
            p = LocalProcess.startWritingTo(probeCommand(qemuBinary, accel, disk), dir.resolve("qemu.log"));
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
            LocalProcess.killTreeNow(p);
            try {
                io.github.amimaven.process.Directories.deleteRecursively(dir);
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }

    /**
     * The probe runs with the CPU model a real VM gets ({@link QemuMachine#cpuModel}): on some hosts QEMU cannot set
     * the host CPU's MSRs and aborts at once, which the probe then sees instead of the first real VM.
     */
    static List<String> probeCommand(String qemuBinary, String accel, Path disk) {
        return List.of(qemuBinary, "-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none",
                "-serial", "none", "-accel", accel, "-machine", "pc", "-cpu", QemuMachine.cpuModel(accel), "-m", "16",
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
