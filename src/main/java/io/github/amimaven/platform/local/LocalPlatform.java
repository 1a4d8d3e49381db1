package io.github.amimaven.platform.local;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.platform.TaggedResource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local platform: machines are QEMU VMs on the build machine, images are qcow2 files in an {@link ImageStore}.
 *
 * <ul>
 * <li>A VM runs on a copy-on-write overlay of its source image, with a NoCloud seed that authorizes the build's
 * key for the image's default user, in its own directory under the work directory.</li>
 * <li>Its only network is QEMU user networking with {@code restrict=on}; SSH is forwarded from a free port on
 * 127.0.0.1 ({@link #sshPort(String)}). {@link #awaitRunning} reports the address 127.0.0.1.</li>
 * <li>{@link #stop} presses the ACPI power button (QMP); {@link #awaitStopped} waits for QEMU to exit and kills it
 * (and fails) when the guest does not power off in time.</li>
 * <li>{@link #createImage} starts a background {@code qemu-img convert -c} of the stopped VM's overlay into a
 * standalone compressed qcow2 in the store, with JSON metadata; {@link #awaitImageAvailable} waits for it.</li>
 * <li>{@link #terminate} kills the VM and deletes its directory (overlay, seed, logs), after a capture that still
 * reads the overlay has finished. {@link #close()} and a JVM shutdown hook kill whatever is left.</li>
 * </ul>
 *
 * This class is the {@link Platform} the build sees; the work is done by {@link SourceLookup}, {@link VmLauncher},
 * {@link VmControl}, {@link ImageCaptures} and {@link VmRegistry}.
 */
public final class LocalPlatform implements Platform {

    /**
     * Settings.
     *
     * @param storeDir the image store directory
     * @param workDir where VM directories go; null for a temporary directory made on first launch and removed by
     *        {@link #close()}
     * @param accelerator {@code auto}, {@code kvm} or {@code tcg}
     * @param memoryMb guest memory
     * @param cpus guest CPUs
     * @param qemuBinary {@code qemu-system-x86_64}
     * @param qemuImg {@code qemu-img}
     * @param directKernelBoot boot a source file with {@code -kernel/-initrd} when {@code <name>.vmlinuz},
     *        {@code <name>.initrd} and {@code <name>.cmdline} sit beside it (as the base image script makes them)
     * @param logDir where a VM's serial console log is copied ({@code <machine id>-console.log}) before its
     *        directory is deleted; null to keep none
     * @param acceleratorCache where real guests' verdicts on KVM are kept across builds ({@link Accelerator})
     * @param kvmProgressWindow how long a guest under KVM not yet confirmed may print nothing before it counts as hung
     */
    public record Options(Path storeDir, Path workDir, String accelerator, int memoryMb, int cpus, String qemuBinary,
            String qemuImg, boolean directKernelBoot, Path logDir, Path acceleratorCache, Duration kvmProgressWindow) {

        /** How long a guest booting under unconfirmed KVM may print nothing on its console before it counts as hung. */
        public static final Duration KVM_PROGRESS_WINDOW = Duration.ofSeconds(20);

        public static Options defaults() {
            return new Options(ImageStore.defaultDirectory(), null, "auto", 1024, 2, "qemu-system-x86_64",
                    "qemu-img", false, null, Accelerator.defaultCacheFile(), KVM_PROGRESS_WINDOW);
        }

        public Options withStoreDir(Path d) {
            return new Options(d, workDir, accelerator, memoryMb, cpus, qemuBinary, qemuImg, directKernelBoot, logDir, acceleratorCache, kvmProgressWindow);
        }

        public Options withWorkDir(Path d) {
            return new Options(storeDir, d, accelerator, memoryMb, cpus, qemuBinary, qemuImg, directKernelBoot, logDir, acceleratorCache, kvmProgressWindow);
        }

        public Options withAccelerator(String a) {
            return new Options(storeDir, workDir, a, memoryMb, cpus, qemuBinary, qemuImg, directKernelBoot, logDir, acceleratorCache, kvmProgressWindow);
        }

        public Options withMemoryMb(int m) {
            return new Options(storeDir, workDir, accelerator, m, cpus, qemuBinary, qemuImg, directKernelBoot, logDir, acceleratorCache, kvmProgressWindow);
        }

        public Options withCpus(int c) {
            return new Options(storeDir, workDir, accelerator, memoryMb, c, qemuBinary, qemuImg, directKernelBoot, logDir, acceleratorCache, kvmProgressWindow);
        }

        public Options withQemu(String binary, String img) {
            return new Options(storeDir, workDir, accelerator, memoryMb, cpus, binary, img, directKernelBoot, logDir, acceleratorCache, kvmProgressWindow);
        }

        public Options withLogDir(Path d) {
            return new Options(storeDir, workDir, accelerator, memoryMb, cpus, qemuBinary, qemuImg, directKernelBoot, d, acceleratorCache, kvmProgressWindow);
        }

        public Options withDirectKernelBoot(boolean b) {
            return new Options(storeDir, workDir, accelerator, memoryMb, cpus, qemuBinary, qemuImg, b, logDir, acceleratorCache, kvmProgressWindow);
        }

        /** Where real guests' verdicts on KVM are kept across builds; null keeps them for this JVM only. */
        public Options withAcceleratorCache(Path f) {
            return new Options(storeDir, workDir, accelerator, memoryMb, cpus, qemuBinary, qemuImg, directKernelBoot, logDir, f, kvmProgressWindow);
        }

        public Options withKvmProgressWindow(Duration d) {
            return new Options(storeDir, workDir, accelerator, memoryMb, cpus, qemuBinary, qemuImg, directKernelBoot, logDir, acceleratorCache, d);
        }
    }

    /** Tag that sets a captured image's status (default {@code candidate}). */
    public static final String TAG_STATUS = "ami:status";
    /** Tag that sets a captured image's version. */
    public static final String TAG_VERSION = "ami:version";
    public static final String ADDRESS = "127.0.0.1";

    private final Options options;
    private final ImageStore store;
    private final VmRegistry registry;
    private final SourceLookup sources;
    private final VmLauncher launcher;
    private final VmControl control;
    private final ImageCaptures captures;
    private final Thread shutdownHook;

    public LocalPlatform(BuildLog log) {
        this(log, Options.defaults());
    }

    public LocalPlatform(BuildLog log, Options options) {
        this.options = options;
        this.store = new ImageStore(options.storeDir() != null ? options.storeDir() : ImageStore.defaultDirectory());
        this.registry = new VmRegistry(log, options, store);
        this.sources = new SourceLookup(store);
        this.launcher = new VmLauncher(log, options, registry, new Disks(options, store));
        this.control = new VmControl(log, registry);
        this.captures = new ImageCaptures(log, options, store, registry);
        this.shutdownHook = new Thread(registry::killEverything, "ami-local-platform-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public String location() {
        return store.directory().toString();
    }

    public ImageStore store() {
        return store;
    }

    public Options options() {
        return options;
    }

    /** The loopback port forwarded to a VM's SSH port 22. */
    public int sshPort(String machineId) {
        return registry.vm(machineId).sshPort;
    }

    /** A VM's serial console log (until it is terminated), for diagnostics. */
    public Path consoleLog(String machineId) {
        return registry.vm(machineId).consoleLog();
    }

    /** The QEMU process id of a VM, or -1 when it has none (tests). */
    public long pid(String machineId) {
        Vm vm = registry.find(machineId);
        return vm == null || vm.machine == null ? -1 : vm.machine.pid();
    }

    /** The directory VM directories go to, or null before the first launch (temporary work directory). */
    public Path workDirectory() {
        return registry.workDirectory();
    }

    @Override
    public SourceImage resolveSource(SourceSpec source) {
        return sources.resolveSource(source);
    }

    @Override
    public String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        launcher.importKey(name, publicKeyOpenSsh);
        return name;
    }

    @Override
    public void deleteKeyPair(String keyName) {
        launcher.deleteKey(keyName);
    }

    @Override
    public Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        return Optional.empty();
    }

    @Override
    public void deleteFirewall(String firewallId) {
    }

    @Override
    public String launch(LaunchSpec spec) {
        return launcher.launch(spec);
    }

    @Override
    public Machine awaitRunning(String machineId, Duration timeout) {
        return launcher.awaitRunning(machineId, timeout);
    }

    @Override
    public Optional<String> whyNotRunning(String machineId) {
        return control.whyNotRunning(machineId);
    }

    /** Asking costs a process check and a QMP round trip on the loopback: cheap enough to notice a death at once. */
    @Override
    public Duration watchInterval() {
        return Duration.ofSeconds(1);
    }

    @Override
    public Optional<String> consoleOutput(String machineId) {
        return control.consoleOutput(machineId);
    }

    @Override
    public void stop(String machineId) {
        control.stop(machineId);
    }

    @Override
    public void awaitStopped(String machineId, Duration timeout) {
        control.awaitStopped(machineId, timeout);
    }

    @Override
    public void awaitGuestShutdown(String machineId, Duration timeout) {
        control.awaitGuestShutdown(machineId, timeout);
    }

    @Override
    public void terminate(String machineId) {
        control.terminate(machineId);
    }

    @Override
    public void keepRunning(String machineId) {
        control.keepRunning(machineId);
    }

    @Override
    public void awaitTerminated(String machineId, Duration timeout) {
        control.awaitTerminated(machineId, timeout);
    }

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags) {
        return captures.createImage(machineId, name, description, tags);
    }

    @Override
    public ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        return captures.awaitImageAvailable(imageId, timeout);
    }

    /** Merges tags into the image's metadata; an {@code ami:status} tag also sets its status. */
    @Override
    public void tagImage(String imageId, Map<String, String> tags) {
        try {
            store.mergeTags(imageId, tags);
            if (tags.containsKey(TAG_STATUS)) {
                store.updateStatus(imageId, tags.get(TAG_STATUS));
            }
        } catch (IllegalArgumentException e) {
            throw new PlatformException(e.getMessage(), true);
        }
    }

    @Override
    public void deleteImage(String imageId) {
        captures.deleteImage(imageId);
    }

    @Override
    public List<TaggedResource> findTagged(String project) {
        return registry.findTagged(project);
    }

    /**
     * A dead build's VM directory is reaped (its processes killed, the directory deleted); a dead build's image is
     * deleted with whatever still writes its disk. Everything else as {@link Platform#remove}.
     */
    @Override
    public void remove(TaggedResource resource) {
        if (!registry.reapDeadBuild(resource)) {
            Platform.super.remove(resource);
        }
    }

    /**
     * Kills whatever is still running (VMs, captures not yet finished) and deletes every VM directory and the
     * temporary work directory. Images already captured stay in the store.
     */
    @Override
    public void close() {
        if (registry.isClosed()) {
            return;
        }
        registry.killEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
