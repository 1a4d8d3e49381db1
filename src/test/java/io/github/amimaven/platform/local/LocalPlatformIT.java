package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.process.LocalProcess;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real VMs from the base image that {@code scripts/make-base-image.sh} makes (built here when missing; when it
 * cannot be built, the tests fail under CI=true and are skipped elsewhere). Few boots on purpose: each costs 20-40 s under TCG.
 */
class LocalPlatformIT {

    private static final String USER = "debian";
    private static Path baseImage;

    @TempDir
    Path tmp;

    private final CollectingLog log = new CollectingLog(line -> System.out.println("[local-it] " + line));

    @BeforeAll
    static void baseImage() throws Exception {
        RequiredTool.qemu();
        RequiredTool.sshClient();
        Path image = RequiredTool.baseImagePath();
        Path script = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "scripts",
                "make-base-image.sh");
        // the script returns at once when the image is there and current
        if (Files.isExecutable(script)) {
            Path out = Files.createDirectories(script.getParent().resolveSibling("target")).resolve("make-base-image.log");
            Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
            }
            RequiredTool.require(p.exitValue() == 0 || Files.exists(image), "the base image " + image,
                    script + " could not make it (exit " + p.exitValue() + "; it needs root, debootstrap and a Debian"
                    + " mirror; see " + out + "):\n" + QemuMachine.tail(out, 10));
        }
        baseImage = RequiredTool.baseImage();
    }

    private LocalPlatform platform(boolean directKernelBoot) {
        String accel = System.getProperty("ami.local.accelerator", "auto");
        return new LocalPlatform(log, LocalPlatform.Options.defaults().withStoreDir(tmp.resolve("store"))
                .withWorkDir(tmp.resolve("work")).withAccelerator(accel).withLogDir(tmp.resolve("logs"))
                .withDirectKernelBoot(directKernelBoot));
    }

    private Path newKey() throws Exception {
        Path key = tmp.resolve("id_ed25519");
        LocalProcess.output(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "local-it", "-f", key.toString()),
                Duration.ofSeconds(30));
        return key;
    }

    private static LaunchSpec launchSpec(String imageId, String keyName, Integer rootGb) {
        return new LaunchSpec(imageId, null, keyName, null, null, null, null, rootGb, null, null, false, null,
                Map.of("Name", "local-it"));
    }

    @Test
    void buildCaptureAndBootTheImage() throws Exception {
        Path key = newKey();
        String pub = Files.readString(key.resolveSibling("id_ed25519.pub")).strip();
        List<Long> pids = new ArrayList<>();
        try (LocalPlatform platform = platform(false)) {
            SourceImage source = platform.resolveSource(new SourceSpec(null, null, null, null, baseImage.toString()));
            String keyName = platform.importKeyPair("local-it", pub, Map.of());

            // builder
            long t0 = System.nanoTime();
            String builder = platform.launch(launchSpec(source.id(), keyName, 3));
            pids.add(platform.pid(builder));
            Machine m = platform.awaitRunning(builder, Duration.ofMinutes(1));
            assertEquals("127.0.0.1", m.publicIp());
            int port = platform.sshPort(builder);
            awaitSsh(key, port, Duration.ofMinutes(4), platform, builder);
            log.info("builder SSH after " + secondsSince(t0) + " s");
            ssh(key, port, "echo built-by-local-it | sudo tee /etc/ami-it-marker >/dev/null && sync");
            assertTrue(ssh(key, port, "cat /proc/cmdline").contains("BOOT_IMAGE=/vmlinuz"), "booted by GRUB");
            long rootKb = Long.parseLong(ssh(key, port, "df --output=size -k / | tail -1").strip());
            assertTrue(rootKb > 2_500_000, "cloud-init grew the root file system to the 3 GB disk: " + rootKb + " kB");

            long t1 = System.nanoTime();
            platform.stop(builder);
            platform.awaitStopped(builder, Duration.ofMinutes(2));
            log.info("builder powered off in " + secondsSince(t1) + " s");

            long t2 = System.nanoTime();
            String imageId = platform.createImage(builder, "local-it-image", "made by LocalPlatformIT",
                    Map.of("ami:version", "1.2.3", "team", "it"));
            // terminating while the capture reads the overlay must not break the capture
            platform.terminate(builder);
            ImageInfo info = platform.awaitImageAvailable(imageId, Duration.ofMinutes(10));
            log.info("captured in " + secondsSince(t2) + " s");
            platform.awaitTerminated(builder, Duration.ofMinutes(1));
            assertEquals("available", info.state());
            LocalImage meta = platform.store().require(imageId);
            assertEquals("local-it-image", meta.name());
            assertEquals("1.2.3", meta.version());
            assertEquals(LocalImage.STATUS_CANDIDATE, meta.status());
            assertEquals(source.id(), meta.sourceImage());
            Path disk = Path.of(info.snapshotIds().get(0));
            assertEquals(Files.size(disk), meta.sizeBytes());
            assertEquals(ImageStore.sha256(disk), meta.sha256());
            String imgInfo = LocalProcess.output(List.of("qemu-img", "info", disk.toString()), Duration.ofSeconds(30));
            assertFalse(imgInfo.contains("backing file"), "the image stands alone: " + imgInfo);

            // test machine from the captured image, with a new instance id
            long t3 = System.nanoTime();
            SourceImage captured = platform.resolveSource(new SourceSpec(null, null, "local-it-*", null, null));
            assertEquals(imageId, captured.id());
            String tester = platform.launch(launchSpec(captured.id(), keyName, null));
            pids.add(platform.pid(tester));
            platform.awaitRunning(tester, Duration.ofMinutes(1));
            int port2 = platform.sshPort(tester);
            assertNotEquals(port, port2);
            awaitSsh(key, port2, Duration.ofMinutes(4), platform, tester);
            log.info("tester SSH after " + secondsSince(t3) + " s");
            assertEquals("built-by-local-it", ssh(key, port2, "cat /etc/ami-it-marker").strip());
            assertEquals(tester, ssh(key, port2, "hostname").strip(), "cloud-init ran again for the new instance");

            platform.terminate(tester);
            platform.awaitTerminated(tester, Duration.ofMinutes(1));
            platform.store().updateStatus(imageId, LocalImage.STATUS_RELEASED);
            assertEquals(LocalImage.STATUS_RELEASED, platform.store().require(imageId).status());
            platform.deleteImage(imageId);
            platform.deleteImage(imageId);
            assertTrue(Files.isRegularFile(tmp.resolve("logs").resolve(builder + "-console.log")), "console log kept");
        }
        assertNothingLeft(pids);
    }

    @Test
    void terminateAndCloseLeaveNothingButAKeptVm() throws Exception {
        Path key = newKey();
        String pub = Files.readString(key.resolveSibling("id_ed25519.pub")).strip();
        List<Long> pids = new ArrayList<>();
        long kept;
        int keptPort;
        try (LocalPlatform platform = platform(true)) {
            String keyName = platform.importKeyPair("local-it", pub, Map.of());
            String vm = platform.launch(launchSpec(baseImage.toString(), keyName, null));
            pids.add(platform.pid(vm));
            assertTrue(ProcessHandle.of(platform.pid(vm)).map(ProcessHandle::isAlive).orElse(false));
            // direct kernel boot: the kernel files beside the base image
            long t0 = System.nanoTime();
            awaitSsh(key, platform.sshPort(vm), Duration.ofMinutes(4), platform, vm);
            log.info("direct kernel boot: SSH after " + secondsSince(t0) + " s");
            String cmdline = ssh(key, platform.sshPort(vm), "cat /proc/cmdline");
            assertTrue(cmdline.contains("root=LABEL=root") && !cmdline.contains("BOOT_IMAGE="), cmdline);
            keptPort = platform.sshPort(vm);
            kept = platform.pid(vm);
            // kept for debugging (keepOnFailure): terminate and close() leave it running
            platform.keepRunning(vm);
            platform.terminate(vm);

            // a VM the pipeline never cleans up: close() (or the shutdown hook) kills it
            String orphan = platform.launch(launchSpec(baseImage.toString(), keyName, null));
            pids.add(platform.pid(orphan));
        }
        assertTrue(ProcessHandle.of(kept).map(ProcessHandle::isAlive).orElse(false), "the kept VM runs on");
        assertEquals("kept", ssh(key, keptPort, "echo kept").strip());
        Path keptDir;
        try (var dirs = Files.list(tmp.resolve("work"))) {
            keptDir = dirs.filter(d -> d.getFileName().toString().startsWith("vm-")).findFirst().orElseThrow();
        }
        assertTrue(Files.readString(keptDir.resolve(StaleVmSweeper.OWNER_FILE)).startsWith("kept-until "));
        // a later build's sweep spares it until its time is up, then removes it
        assertEquals(List.of(), StaleVmSweeper.sweep(List.of(tmp.resolve("work")), log::warn));
        Files.writeString(keptDir.resolve(StaleVmSweeper.OWNER_FILE),
                StaleVmSweeper.keptUntil(java.time.Instant.now().minusSeconds(1)));
        assertEquals(List.of(keptDir), StaleVmSweeper.sweep(List.of(tmp.resolve("work")), log::warn));
        pids.add(kept);
        assertNothingLeft(pids);
    }

    /** A power button pressed before the guest listens is pressed again until the guest powers off. */
    @Test
    void stopDuringBootStillPowersOff() throws Exception {
        List<Long> pids = new ArrayList<>();
        try (LocalPlatform platform = platform(false)) {
            String vm = platform.launch(launchSpec(baseImage.toString(), null, null));
            pids.add(platform.pid(vm));
            long t0 = System.nanoTime();
            platform.stop(vm);
            platform.awaitStopped(vm, Duration.ofMinutes(4));
            log.info("stopped during boot, powered off after " + secondsSince(t0) + " s");
            assertTrue(log.text().contains("pressed again"), "the button was pressed again");
            platform.terminate(vm);
            platform.awaitTerminated(vm, Duration.ofSeconds(30));
        }
        assertNothingLeft(pids);
    }

    private void assertNothingLeft(List<Long> pids) throws IOException {
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "QEMU " + pid + " still runs");
        }
        String work = tmp.resolve("work").toString();
        List<String> strays = ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                .filter(c -> c.contains(work)).toList();
        assertEquals(List.of(), strays, "processes still using the work directory");
        try (var files = Files.walk(tmp.resolve("work"))) {
            assertEquals(List.of(tmp.resolve("work")), files.toList(), "files left in the work directory");
        }
        if (Files.exists(tmp.resolve("store"))) {
            try (var files = Files.list(tmp.resolve("store"))) {
                assertEquals(List.of(), files.toList(), "files left in the image store");
            }
        }
        try (var files = Files.list(ShortTemp.root())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("ami-vm-")
                    || f.getFileName().toString().startsWith("ami-exec-")).toList(), "temp files left");
        }
    }

    private static double secondsSince(long t) {
        return Duration.ofNanos(System.nanoTime() - t).toMillis() / 1000.0;
    }

    private static void awaitSsh(Path key, int port, Duration timeout, LocalPlatform platform, String vm)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            platform.awaitRunning(vm, Duration.ofSeconds(1)); // fails at once when QEMU died
            // SSH up and cloud-init done (users, keys, host name): what a provisioner should wait for too
            Process p = sshProcess(key, port, "cloud-init status --wait >/dev/null 2>&1 || true");
            if (p.waitFor(30, TimeUnit.SECONDS)) {
                if (p.exitValue() == 0) {
                    return;
                }
                last = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } else {
                p.destroyForcibly().waitFor();
                last = "ssh timed out";
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no SSH on port " + port + " within " + timeout.toSeconds() + " s: " + last
                + "\nconsole:\n" + QemuMachine.tail(platform.consoleLog(vm), 30));
    }

    private static String ssh(Path key, int port, String command) throws Exception {
        Process p = sshProcess(key, port, command);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("ssh " + command + " hung");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "ssh " + command + ": " + out);
        return out;
    }

    private static Process sshProcess(Path key, int port, String command) throws IOException {
        return new ProcessBuilder("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o",
                "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-i",
                key.toString(), "-p", String.valueOf(port), USER + "@127.0.0.1", command).redirectErrorStream(true)
                .start();
    }
}
