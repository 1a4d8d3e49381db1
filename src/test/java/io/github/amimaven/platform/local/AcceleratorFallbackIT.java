package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code auto} does on hosts whose KVM passes the boot probe and then fails real guests, reproduced by
 * {@link FakeKvmQemu}: the fault, the hang and the abort are each noticed within seconds, the VM is relaunched under
 * TCG on a fresh overlay and boots, the verdict is kept for the next build, and a forced {@code kvm} fails at once
 * naming the setting. Real VMs from the base image, under TCG.
 */
class AcceleratorFallbackIT {

    private static Path baseImage;

    @TempDir
    Path tmp;

    private final CollectingLog log = new CollectingLog();

    @BeforeAll
    static void needs() {
        RequiredTool.qemu();
        RequiredTool.isoWriter();
        baseImage = RequiredTool.baseImage();
    }

    @AfterEach
    void forget() {
        Accelerator.resetCache();
    }

    private LocalPlatform platform(Path qemu, String accelerator, Duration progressWindow) {
        return new LocalPlatform(log, LocalPlatform.Options.defaults().withStoreDir(tmp.resolve("store"))
                .withWorkDir(tmp.resolve("work")).withAccelerator(accelerator).withQemu(qemu.toString(), "qemu-img")
                .withAcceleratorCache(tmp.resolve("cache/accelerator.json")).withKvmProgressWindow(progressWindow));
    }

    /** A VM from the base image; no key, since only its SSH server's banner is looked at. */
    private static String launch(LocalPlatform platform) {
        SourceImage source = platform.resolveSource(new SourceSpec(null, null, null, null, baseImage.toString()));
        return platform.launch(new LaunchSpec(source.id(), null, null, null, null, null, null, null, null, null, false,
                null, Map.of("Name", "fallback-it")));
    }

    private String cache() throws Exception {
        return Files.readString(tmp.resolve("cache/accelerator.json"));
    }

    /** The guest's SSH server's banner, waited for as long as an emulated sshd may take to send it. */
    private static boolean banner(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            byte[] b = s.getInputStream().readNBytes(4);
            return new String(b, java.nio.charset.StandardCharsets.US_ASCII).equals("SSH-");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private boolean qemuMentioning(Path dir) {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains(dir.toString()));
    }

    /**
     * The case of the issue: the guest faults under KVM and sits paused. It is relaunched under TCG at once, really
     * boots there (its SSH server answers), the choice is remembered for the host, and the next build (a new JVM,
     * same cache) goes to TCG without a probe. One boot serves the watch's checks too: a live VM is not reported, and
     * a VM whose QEMU is killed is reported within a second.
     */
    @Test
    void aGuestThatFaultsUnderKvmIsRelaunchedUnderTcgAndBoots() throws Exception {
        Path qemu = FakeKvmQemu.write(tmp.resolve("bin"), FakeKvmQemu.Mode.FAULT);
        try (LocalPlatform platform = platform(qemu, "auto", Duration.ofSeconds(20))) {
            String vm = launch(platform);
            long start = System.nanoTime();
            platform.awaitRunning(vm, Duration.ofMinutes(2));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 10_000, "the fault took " + ms + " ms to notice");
            assertEquals(List.of("probe", "launch FAULT"), FakeKvmQemu.calls(qemu));
            String warn = log.lines().stream().filter(l -> l.startsWith("WARN") && l.contains("KVM")).findFirst().orElse("");
            assertTrue(warn.contains("KVM internal error") && warn.contains("<local><accelerator>tcg</accelerator>")
                    && warn.contains("TCG"), warn);
            assertTrue(cache().contains("\"tcg\"") && cache().contains("KVM internal error"), cache());

            int port = platform.sshPort(vm);
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!banner(port) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(banner(port), "the guest relaunched under TCG boots to SSH");
            assertEquals(Optional.empty(), platform.whyNotRunning(vm));
            assertTrue(platform.consoleOutput(vm).orElse("").contains("Linux"), "the console is readable");

            ProcessHandle.of(platform.pid(vm)).orElseThrow().destroyForcibly();
            Thread.sleep(1_000);
            String why = platform.whyNotRunning(vm).orElse("");
            assertTrue(why.startsWith("QEMU exited"), why);
        }
        assertFalse(qemuMentioning(tmp), "no QEMU left");

        // the next build: a new JVM that finds the verdict in the cache and runs neither probe nor KVM
        Accelerator.resetCache();
        try (LocalPlatform platform = platform(qemu, "auto", Duration.ofSeconds(20))) {
            String vm = launch(platform);
            platform.awaitRunning(vm, Duration.ofMinutes(1));
            assertEquals(List.of("probe", "launch FAULT"), FakeKvmQemu.calls(qemu), "no probe, no KVM launch");
            assertTrue(log.lines().stream().anyMatch(l -> l.contains(vm + ": QEMU (tcg)")), String.join("\n", log.lines()));
        }
    }

    /** A guest that hangs in its firmware prints nothing: noticed when the progress window ends. */
    @Test
    void aGuestThatMakesNoProgressUnderKvmIsRelaunchedUnderTcg() throws Exception {
        Path qemu = FakeKvmQemu.write(tmp.resolve("bin"), FakeKvmQemu.Mode.HANG);
        try (LocalPlatform platform = platform(qemu, "auto", Duration.ofSeconds(3))) {
            String vm = launch(platform);
            long start = System.nanoTime();
            platform.awaitRunning(vm, Duration.ofMinutes(2));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 3_000 && ms < 10_000, "noticed after " + ms + " ms");
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("no progress")),
                    String.join("\n", log.lines()));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains(vm + ": QEMU (tcg)")) || cache().contains("tcg"));
            assertEquals(Optional.empty(), platform.whyNotRunning(vm), "the TCG relaunch runs");
        }
        assertFalse(qemuMentioning(tmp));
    }

    /** QEMU aborting at start under KVM (the MSR case) is a fallback at launch already. */
    @Test
    void qemuThatAbortsUnderKvmFallsBackAtLaunch() throws Exception {
        Path qemu = FakeKvmQemu.write(tmp.resolve("bin"), FakeKvmQemu.Mode.EXIT);
        try (LocalPlatform platform = platform(qemu, "auto", Duration.ofSeconds(20))) {
            String vm = launch(platform);
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("MSR")),
                    String.join("\n", log.lines()));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains(vm + ": QEMU (tcg)")));
            platform.awaitRunning(vm, Duration.ofMinutes(1));
            assertEquals(Optional.empty(), platform.whyNotRunning(vm));
        }
        assertFalse(qemuMentioning(tmp));
    }

    /** {@code <accelerator>kvm</accelerator>} is taken at its word: a fault fails at once, naming it, leaving nothing. */
    @Test
    void aForcedKvmThatFaultsFailsAtOnceNamingTheSetting() throws Exception {
        Path qemu = FakeKvmQemu.write(tmp.resolve("bin"), FakeKvmQemu.Mode.FAULT);
        try (LocalPlatform platform = platform(qemu, "kvm", Duration.ofSeconds(20))) {
            String vm = launch(platform);
            long start = System.nanoTime();
            PlatformException e = assertThrows(PlatformException.class, () -> platform.awaitRunning(vm, Duration.ofMinutes(2)));
            assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
            assertTrue(e.isUserError());
            assertTrue(e.getMessage().contains("<local><accelerator>kvm</accelerator>")
                    && e.getMessage().contains("KVM internal error"), e.getMessage());
            platform.terminate(vm);
            platform.awaitTerminated(vm, Duration.ofSeconds(30));
        }
        assertEquals(List.of("launch FAULT"), FakeKvmQemu.calls(qemu), "a forced KVM is not probed");
        assertFalse(qemuMentioning(tmp), "no QEMU left");
        try (Stream<Path> left = Files.list(tmp.resolve("work"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("vm-")).toList(),
                    "no VM directory (overlay, seed, socket) left");
        }
        assertFalse(Files.exists(tmp.resolve("cache/accelerator.json")), "a forced choice decides nothing for auto");
    }

    /** KVM that runs the guest is confirmed by its SSH server and remembered: later builds skip probe and watch. */
    @Test
    void aGuestThatBootsUnderKvmConfirmsIt() throws Exception {
        Path qemu = FakeKvmQemu.write(tmp.resolve("bin"), FakeKvmQemu.Mode.WORKS);
        try (LocalPlatform platform = platform(qemu, "auto", Duration.ofSeconds(60))) {
            String vm = launch(platform);
            platform.awaitRunning(vm, Duration.ofMinutes(4));
            // its SSH server answered; on a loaded machine the guest may take longer than the 90 s watch, which then
            // confirms it by its console output without a fault
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("KVM runs this guest (its SSH server answered")
                    || l.contains("KVM runs this guest (it ran")), String.join("\n", log.lines()));
            int port = platform.sshPort(vm);
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!banner(port) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(banner(port), "the guest runs under the confirmed accelerator");
            assertTrue(cache().contains("\"kvm\""), cache());
            assertFalse(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("KVM")), String.join("\n", log.lines()));
        }
        assertFalse(qemuMentioning(tmp));
    }
}
