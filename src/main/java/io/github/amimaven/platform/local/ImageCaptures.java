package io.github.amimaven.platform.local;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.process.LocalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Captures a stopped VM's disk as an image of the store: a {@code qemu-img convert -c} of its overlay into a standalone
 * compressed qcow2, in the background; waits for it, and cancels it when its image is deleted first.
 */
final class ImageCaptures {

    private static final Duration CAPTURE_TIMEOUT = Duration.ofHours(2);

    private final BuildLog log;
    private final LocalPlatform.Options options;
    private final ImageStore store;
    private final VmRegistry registry;

    ImageCaptures(BuildLog log, LocalPlatform.Options options, ImageStore store, VmRegistry registry) {
        this.log = log;
        this.options = options;
        this.store = store;
        this.registry = registry;
    }

    String createImage(String machineId, String name, String description, Map<String, String> tags) {
        registry.checkOpen();
        Vm vm = registry.vm(machineId);
        if (vm.terminated || vm.overlay == null || !Files.exists(vm.overlay)) {
            throw new PlatformException(machineId + " has no disk to capture", false);
        }
        if (vm.machine != null && vm.machine.isAlive()) {
            throw new PlatformException(machineId + " is still running: stop it before capturing its disk", false);
        }
        for (LocalImage other : store.list()) {
            if (name.equals(other.name()) && !LocalImage.STATE_FAILED.equals(other.state())) {
                throw new PlatformException("an image named '" + name + "' already exists: " + other.id(), true);
            }
        }
        Map<String, String> t = tags == null ? Map.of() : tags;
        String id = ImageStore.newId();
        LocalImage image = new LocalImage(id, name, description, t.get(LocalPlatform.TAG_VERSION),
                t.getOrDefault(LocalPlatform.TAG_STATUS, LocalImage.STATUS_CANDIDATE), LocalImage.STATE_PENDING, t,
                vm.sourceId, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), id + ".qcow2", "qcow2", null,
                null, null);
        store.save(image);
        Capture capture = new Capture(id, vm);
        registry.add(capture);
        vm.pendingCaptures.incrementAndGet();
        capture.future = CompletableFuture.runAsync(() -> runCapture(capture, image));
        capture.future.whenComplete((r, e) -> {
            if (vm.pendingCaptures.decrementAndGet() == 0 && vm.terminated) {
                registry.cleanup(vm);
            }
        });
        log.info(machineId + ": capturing its disk as image " + id + " ('" + name + "')");
        return id;
    }

    private void runCapture(Capture capture, LocalImage image) {
        Path part = store.directory().resolve(image.id() + ".qcow2.part");
        Path target = store.diskFile(image);
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(store.directory());
            List<String> cmd = List.of(options.qemuImg(), "convert", "-c", "-O", "qcow2",
                    capture.vm.overlay.toString(), part.toString());
            Process p = LocalProcess.startWritingTo(cmd, capture.vm.dir.resolve("capture-" + image.id() + ".log"));
            capture.process = p;
            if (capture.cancelled) {
                p.destroyForcibly();
            }
            if (!p.waitFor(CAPTURE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LocalProcess.killTreeNow(p);
                throw new IOException("qemu-img convert took longer than " + CAPTURE_TIMEOUT.toMinutes() + " min");
            }
            if (capture.cancelled) {
                throw new IOException("cancelled");
            }
            if (p.exitValue() != 0) {
                throw new IOException("qemu-img convert failed (exit " + p.exitValue() + "): "
                        + QemuMachine.tail(capture.vm.dir.resolve("capture-" + image.id() + ".log"), 5));
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            long size = Files.size(target);
            String sha = ImageStore.sha256(target);
            if (capture.cancelled) {
                throw new IOException("cancelled");
            }
            store.save(image.withState(LocalImage.STATE_AVAILABLE, size, sha, null));
            log.info("image " + image.id() + " available: " + target + " (" + size / (1024 * 1024) + " MB, "
                    + Duration.ofNanos(System.nanoTime() - t0).toSeconds() + " s)");
        } catch (Exception e) {
            try {
                Files.deleteIfExists(part);
                if (capture.cancelled) {
                    store.delete(image.id());
                } else {
                    Files.deleteIfExists(target);
                    store.save(image.withState(LocalImage.STATE_FAILED, null, null, e.getMessage())
                            .withStatus(LocalImage.STATUS_FAILED));
                }
            } catch (Exception cleanupError) {
                e.addSuppressed(cleanupError);
            }
            if (!capture.cancelled) {
                log.error("capture of image " + image.id() + " failed: " + e.getMessage());
            }
        } finally {
            try {
                Files.deleteIfExists(capture.vm.dir.resolve("capture-" + image.id() + ".log"));
            } catch (IOException e) {
                // the VM directory goes anyway
            }
        }
    }

    ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Capture capture = registry.capture(imageId);
        if (capture != null) {
            try {
                capture.future.get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw PlatformException.timedOut("image " + imageId + " not available", timeout, Timeouts.IMAGE, null);
            } catch (ExecutionException e) {
                throw new PlatformException("capture of image " + imageId + " failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for image " + imageId, e);
            }
        }
        while (true) {
            LocalImage image = store.findById(imageId)
                    .orElseThrow(() -> new PlatformException("no image " + imageId + " in " + store.directory(), true));
            if (image.isAvailable()) {
                return new ImageInfo(image.id(), image.name(), image.state(), image.created(),
                        List.of(store.diskFile(image).toString()));
            }
            if (LocalImage.STATE_FAILED.equals(image.state())) {
                throw new PlatformException("capture of image " + imageId + " failed: " + image.message(), false);
            }
            if (System.nanoTime() > deadline) {
                throw PlatformException.timedOut("image " + imageId + " not available", timeout, Timeouts.IMAGE, null);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for image " + imageId, e);
            }
        }
    }

    void deleteImage(String imageId) {
        Capture capture = registry.capture(imageId);
        if (capture != null && !capture.future.isDone()) {
            cancel(capture);
        }
        store.delete(imageId);
    }

    private void cancel(Capture capture) {
        capture.cancelled = true;
        Process p = capture.process;
        if (p != null) {
            LocalProcess.killTreeNow(p);
        }
        try {
            capture.future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // cancelled: its files are deleted by the capture itself
        }
    }
}
