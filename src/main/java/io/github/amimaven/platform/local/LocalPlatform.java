package io.github.amimaven.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.TaggedResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CAPTURE_TIMEOUT = Duration.ofHours(2);
    private static final Duration REPRESS_INTERVAL = Duration.ofSeconds(15);
    /** A working KVM answers the probe in well under a second; a host that needs longer gets TCG. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a guest under KVM that prints but never answers SSH is watched before it counts as running. */
    static final Duration KVM_CONFIRM_WINDOW = Duration.ofSeconds(90);

    private final BuildLog log;
    private final Options options;
    private final ImageStore store;
    private final Map<String, Vm> vms = new ConcurrentHashMap<>();
    private final Map<String, Capture> captures = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    /** How long a VM kept for debugging may live before a later build's sweep removes it. */
    static final Duration KEPT_FOR = Platform.KEPT_FOR;

    private final Thread shutdownHook;
    private volatile Accelerator.Choice accel;
    private volatile String hostKey;
    private volatile Path workRoot;
    private volatile boolean workRootIsTemp;
    private volatile boolean closed;

    public LocalPlatform(BuildLog log) {
        this(log, Options.defaults());
    }

    public LocalPlatform(BuildLog log, Options options) {
        this.log = log;
        this.options = options;
        this.store = new ImageStore(options.storeDir() != null ? options.storeDir() : ImageStore.defaultDirectory());
        this.shutdownHook = new Thread(this::killEverything, "ami-local-platform-shutdown");
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
        return vm(machineId).sshPort;
    }

    /** A VM's serial console log (until it is terminated), for diagnostics. */
    public Path consoleLog(String machineId) {
        return vm(machineId).consoleLog();
    }

    /** The QEMU process id of a VM, or -1 when it has none (tests). */
    public long pid(String machineId) {
        Vm vm = vms.get(machineId);
        return vm == null || vm.machine == null ? -1 : vm.machine.pid();
    }

    /** The directory VM directories go to, or null before the first launch (temporary work directory). */
    public Path workDirectory() {
        return workRoot;
    }

    // ----------------------------------------------------------------------------------------------- sources

    @Override
    public SourceImage resolveSource(SourceSpec source) {
        if (source.path() != null) {
            Path p = Path.of(source.path()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) {
                throw new PlatformException("source image file not found: " + p, true);
            }
            return new SourceImage(p.toString(), p.getFileName().toString(), modified(p));
        }
        if (source.imageId() != null) {
            Optional<LocalImage> image = store.findById(source.imageId());
            if (image.isPresent()) {
                if (!image.get().isAvailable()) {
                    throw new PlatformException("image " + source.imageId() + " is " + image.get().state(), true);
                }
                return new SourceImage(image.get().id(), image.get().name(), image.get().created());
            }
            Path p = Path.of(source.imageId());
            if (p.isAbsolute() && Files.isRegularFile(p)) {
                return new SourceImage(p.toString(), p.getFileName().toString(), modified(p));
            }
            throw new PlatformException("no image " + source.imageId() + " in " + store.directory(), true);
        }
        if (source.name() != null) {
            return store.findByName(source.name()).stream().filter(i -> matches(i, source.filters())).findFirst()
                    .map(i -> new SourceImage(i.id(), i.name(), i.created()))
                    .orElseThrow(() -> new PlatformException("no image matches " + source.describe() + " in "
                            + store.directory(), true));
        }
        throw new PlatformException("the local platform needs a source path, image id or name", true);
    }

    /** Filters: {@code status}, {@code version}, and {@code tag:KEY}, each to accepted values. */
    static boolean matches(LocalImage image, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            String value;
            if (f.getKey().equals("status")) {
                value = image.status();
            } else if (f.getKey().equals("version")) {
                value = image.version();
            } else if (f.getKey().startsWith("tag:")) {
                value = image.tags().get(f.getKey().substring(4));
            } else {
                continue;
            }
            if (value == null || f.getValue().stream().noneMatch(v -> ImageStore.glob(v).matcher(value).matches())) {
                return false;
            }
        }
        return true;
    }

    private static String modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (IOException e) {
            return null;
        }
    }

    // ----------------------------------------------------------------------------------------------- keys, firewalls

    @Override
    public String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        keys.put(name, publicKeyOpenSsh);
        return name;
    }

    @Override
    public void deleteKeyPair(String keyName) {
        keys.remove(keyName);
    }

    @Override
    public Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        return Optional.empty();
    }

    @Override
    public void deleteFirewall(String firewallId) {
    }

    // ----------------------------------------------------------------------------------------------- machines

    @Override
    public String launch(LaunchSpec spec) {
        checkOpen();
        String id = "vm-" + hex(6);
        Vm vm = new Vm(id, sourceSpecId(spec));
        vms.put(id, vm);
        try {
            vm.dir = Files.createDirectories(workRoot().resolve(id));
            Files.writeString(vm.dir.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.currentOwner());
            JSON.writeValue(vm.dir.resolve(StaleVmSweeper.TAGS_FILE).toFile(), spec.tags());
            DiskSource src = diskSource(spec.imageId());
            vm.source = src;
            vm.sizeGb = spec.rootDiskSizeGb();
            vm.overlay = vm.dir.resolve("disk.qcow2");
            createOverlay(src, vm.overlay, spec.rootDiskSizeGb());
            String key = spec.publicKeyOpenSsh() != null ? spec.publicKeyOpenSsh()
                    : spec.keyName() != null ? keys.get(spec.keyName()) : null;
            if (key == null) {
                log.warn(id + ": no SSH key for the VM (key '" + spec.keyName() + "' was not imported)");
            }
            vm.seed = vm.dir.resolve("seed.iso");
            new NoCloudSeed(id, id, key, spec.userData()).writeIso(vm.seed);
            vm.qmpSocket = qmpSocketPath(vm.dir, id);
            vm.choice = accelerator();
            try {
                startWithFreePort(vm, src, vm.choice.accelerator());
            } catch (IOException e) {
                if (!vm.choice.isKvm()) {
                    throw e;
                }
                kvmFailed(vm, "QEMU did not start: " + e.getMessage());
            }
            log.info(id + ": QEMU (" + vm.choice.accelerator() + ") started from " + src.file + ", SSH on " + ADDRESS
                    + ":" + vm.sshPort + ", work dir " + vm.dir);
            return id;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            cleanup(vm);
            String detail = vm.machine != null ? vm.machine.qemuOutputTail() : "";
            if (e instanceof PlatformException pe && pe.isUserError()) {
                throw pe;
            }
            throw new PlatformException("cannot launch a VM from " + spec.imageId() + ": " + e.getMessage()
                    + (detail.isEmpty() ? "" : "\n" + detail), e);
        }
    }

    private static String sourceSpecId(LaunchSpec spec) {
        return spec.imageId();
    }

    /** QEMU fails when the port was taken between choosing and binding it: then it tries another. */
    private void startWithFreePort(Vm vm, DiskSource src, String a) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            vm.sshPort = freePort();
            QemuMachine.Spec s = new QemuMachine.Spec(options.qemuBinary(), a, options.memoryMb(), options.cpus(),
                    vm.overlay, vm.seed, vm.sshPort, vm.qmpSocket, vm.dir.resolve("console.log"), src.kernel,
                    src.initrd, src.cmdline);
            Files.deleteIfExists(vm.qmpSocket);
            vm.machine = new QemuMachine(vm.id, s, vm.dir.resolve("qemu.log"));
            vm.machine.start();
            Files.writeString(vm.dir.resolve(StaleVmSweeper.QEMU_PID_FILE), String.valueOf(vm.machine.pid()));
            if (closed) {
                throw new IOException("the local platform was closed during the launch");
            }
            // QEMU answers QMP only once it has set everything up, host forwarding included
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                if (!vm.machine.isAlive()) {
                    break;
                }
                if (Files.exists(vm.qmpSocket)) {
                    try {
                        vm.machine.qmp("query-status", Duration.ofSeconds(5));
                        return;
                    } catch (IOException e) {
                        last = e;
                    }
                }
                Thread.sleep(50);
            }
            if (vm.machine.isAlive()) {
                throw new IOException("QEMU did not answer on its QMP socket", last);
            }
            String out = vm.machine.qemuOutputTail();
            if (!out.toLowerCase().contains("forward")) {
                throw new IOException("QEMU exited at once (exit " + vm.machine.exitCode() + "): " + out);
            }
            last = new IOException("QEMU could not forward port " + vm.sshPort + ": " + out);
        }
        throw last;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            return s.getLocalPort();
        }
    }

    /** A unix socket path must stay under ~108 bytes: long work directories use the short temp root instead. */
    static Path qmpSocketPath(Path dir, String id) {
        Path p = dir.resolve("qmp.sock");
        if (p.toString().length() < 100) {
            return p;
        }
        return io.github.amimaven.process.ShortTemp.root().resolve("ami-" + id + ".qmp");
    }

    @Override
    public Machine awaitRunning(String machineId, Duration timeout) {
        Vm vm = vm(machineId);
        if (vm.choice != null && vm.choice.isKvm() && !vm.choice.confirmed()) {
            confirmKvm(vm, timeout);
        }
        if (vm.machine == null || !vm.machine.isAlive()) {
            throw new PlatformException(machineId + " is not running (QEMU exit "
                    + (vm.machine == null ? "-" : vm.machine.exitCode()) + ")" + diagnostics(vm), false);
        }
        return new Machine(machineId, ADDRESS, ADDRESS, null, null, vm.sshPort);
    }

    /** A dead QEMU, a fault QEMU reported, or a run state the guest never leaves by itself. */
    @Override
    public Optional<String> whyNotRunning(String machineId) {
        Vm vm = vms.get(machineId);
        if (vm == null || vm.terminated) {
            return Optional.of(machineId + " was terminated");
        }
        QemuMachine m = vm.machine;
        if (m == null) {
            return Optional.empty();
        }
        String under = Accelerator.KVM.equals(m.spec().accel())
                ? " (under KVM: if KVM faults guests on this host, set <local><accelerator>tcg</accelerator>)" : "";
        Optional<String> fault = m.acceleratorFault();
        if (fault.isPresent()) {
            return Optional.of("QEMU reported: " + fault.get() + under);
        }
        if (!m.isAlive()) {
            Integer code = m.exitCode();
            return Optional.of(code != null && code == 0 ? "the guest powered itself off (QEMU exited)"
                    : "QEMU exited with code " + code + ": " + m.qemuOutputTail() + under);
        }
        Optional<String> state = m.runState(Duration.ofSeconds(2));
        if (state.isPresent() && QemuMachine.DEAD_STATES.contains(state.get())) {
            return Optional.of("the VM stopped in run state " + state.get() + under);
        }
        return Optional.empty();
    }

    /** Asking costs a process check and a QMP round trip on the loopback: cheap enough to notice a death at once. */
    @Override
    public Duration watchInterval() {
        return Duration.ofSeconds(1);
    }

    /** The VM's serial console, as far as it has printed. */
    @Override
    public Optional<String> consoleOutput(String machineId) {
        Vm vm = vms.get(machineId);
        Path console = vm == null ? null : vm.consoleLog();
        try {
            if (console == null || !Files.exists(console)) {
                return Optional.empty();
            }
            return Optional.of(new String(Files.readAllBytes(console), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void stop(String machineId) {
        Vm vm = vm(machineId);
        if (vm.machine == null || !vm.machine.isAlive()) {
            return;
        }
        vm.stopRequested = true;
        try {
            vm.machine.powerdown(QMP_TIMEOUT);
            log.debug(machineId + ": ACPI power button pressed");
        } catch (IOException e) {
            log.warn(machineId + ": could not ask the guest to power off: " + e.getMessage());
        }
    }

    @Override
    public void awaitStopped(String machineId, Duration timeout) {
        Vm vm = vm(machineId);
        if (vm.machine == null) {
            return;
        }
        try {
            // a power button pressed while the guest was still booting may be lost: press it again now and then
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!vm.machine.waitFor(Duration.ofNanos(Math.min(REPRESS_INTERVAL.toNanos(),
                    Math.max(0, deadline - System.nanoTime()))))) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                if (vm.stopRequested) {
                    try {
                        vm.machine.powerdown(QMP_TIMEOUT);
                        log.debug(machineId + ": ACPI power button pressed again");
                    } catch (IOException e) {
                        // QEMU may be exiting right now
                    }
                }
            }
            if (!vm.machine.isAlive()) {
                Integer code = vm.machine.exitCode();
                if (code != null && code != 0) {
                    log.warn(machineId + ": QEMU exited with code " + code + ": " + vm.machine.qemuOutputTail());
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vm.machine.kill();
            throw new PlatformException("interrupted while waiting for " + machineId + " to stop", e);
        }
        vm.machine.kill();
        throw PlatformException.timedOut(machineId + " did not power off (killed it, its disk may be inconsistent"
                + diagnostics(vm) + ")", timeout, Timeouts.INSTANCE, null);
    }

    /** A guest that powered itself off ends QEMU with 0; QEMU failing ends it too, but no user data finished then. */
    @Override
    public void awaitGuestShutdown(String machineId, Duration timeout) {
        awaitStopped(machineId, timeout);
        Vm vm = vm(machineId);
        Integer code = vm.machine == null ? null : vm.machine.exitCode();
        if (code != null && code != 0) {
            throw new PlatformException("QEMU of " + machineId + " exited with code " + code + " instead of the guest"
                    + " powering off" + diagnostics(vm), false);
        }
    }

    @Override
    public void terminate(String machineId) {
        Vm vm = vms.get(machineId);
        if (vm == null) {
            return;
        }
        if (vm.machine != null) {
            vm.machine.kill();
        }
        vm.terminated = true;
        if (vm.pendingCaptures.get() == 0) {
            cleanup(vm);
        } else {
            log.debug(machineId + ": killed; its directory goes when the capture that reads it ends");
        }
    }

    /**
     * Forgets the VM so that neither {@link #close()} nor the shutdown hook kills it; its directory is marked kept
     * until {@link #KEPT_FOR} has passed, after which a later build's sweep removes it.
     */
    @Override
    public void keepRunning(String machineId) {
        Vm vm = vms.remove(machineId);
        if (vm == null || vm.dir == null) {
            return;
        }
        try {
            Files.writeString(vm.dir.resolve(StaleVmSweeper.OWNER_FILE),
                    StaleVmSweeper.keptUntil(Instant.now().plus(KEPT_FOR)));
        } catch (IOException e) {
            log.warn(machineId + ": could not mark " + vm.dir + " as kept: " + e.getMessage());
        }
        log.info(machineId + " kept running (QEMU pid " + (vm.machine == null ? "?" : vm.machine.pid()) + ", directory "
                + vm.dir + ")");
    }

    @Override
    public void awaitTerminated(String machineId, Duration timeout) {
        Vm vm = vms.get(machineId);
        if (vm == null) {
            return;
        }
        try {
            if (!vm.cleanedUp.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                throw PlatformException.timedOut(machineId + " was not cleaned up", timeout, Timeouts.INSTANCE, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while waiting for " + machineId + " to terminate", e);
        }
    }

    private String diagnostics(Vm vm) {
        if (vm.machine == null) {
            return "";
        }
        String q = vm.machine.qemuOutputTail();
        String c = vm.machine.consoleTail(15);
        return (q.isEmpty() ? "" : "\nQEMU: " + q) + (c.isEmpty() ? "" : "\nconsole (last lines):\n" + c);
    }

    // ----------------------------------------------------------------------------------------------- images

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags) {
        checkOpen();
        Vm vm = vm(machineId);
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
        LocalImage image = new LocalImage(id, name, description, t.get(TAG_VERSION),
                t.getOrDefault(TAG_STATUS, LocalImage.STATUS_CANDIDATE), LocalImage.STATE_PENDING, t, vm.sourceId,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), id + ".qcow2", "qcow2", null, null, null);
        store.save(image);
        Capture capture = new Capture(id, vm);
        captures.put(id, capture);
        vm.pendingCaptures.incrementAndGet();
        capture.future = CompletableFuture.runAsync(() -> runCapture(capture, image));
        capture.future.whenComplete((r, e) -> {
            if (vm.pendingCaptures.decrementAndGet() == 0 && vm.terminated) {
                cleanup(vm);
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
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(capture.vm.dir.resolve("capture-" + image.id() + ".log").toFile()).start();
            capture.process = p;
            if (capture.cancelled) {
                p.destroyForcibly();
            }
            if (!p.waitFor(CAPTURE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                Exec.kill(p);
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
            capture.error = e.getMessage();
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

    @Override
    public ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Capture capture = captures.get(imageId);
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

    @Override
    public String imageLocation(String imageId) {
        return store.findById(imageId).map(store::diskFile).map(Path::toString).orElse(imageId);
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
        Capture capture = captures.get(imageId);
        if (capture != null && !capture.future.isDone()) {
            cancel(capture);
        }
        store.delete(imageId);
    }

    /**
     * VMs whose JVM died (their directories under the temporary work roots and the work directory), and the store's
     * images tagged by a build. VM directories from before tags were written are listed whatever the project.
     */
    @Override
    public List<TaggedResource> findTagged(String project) {
        List<TaggedResource> found = new ArrayList<>();
        for (Path dir : StaleVmSweeper.staleVmDirs(sweepRoots())) {
            Map<String, String> tags = StaleVmSweeper.tags(dir);
            if (project == null || tags.isEmpty() || project.equals(tags.get(TaggedResource.PROJECT))) {
                found.add(new TaggedResource(TaggedResource.Kind.INSTANCE, dir.toString(), tags, "owner gone", null,
                        StaleVmSweeper.deadOwner(dir)));
            }
        }
        for (LocalImage image : store.list()) {
            Map<String, String> tags = new java.util.TreeMap<>(image.tags());
            if (!tags.containsKey(TaggedResource.BUILD_ID)
                    || project != null && !project.equals(tags.get(TaggedResource.PROJECT))) {
                continue;
            }
            tags.put(TaggedResource.STATUS, image.status());
            found.add(new TaggedResource(TaggedResource.Kind.IMAGE, image.id(), tags, image.state(),
                    List.of(store.diskFile(image).toString()), null));
        }
        return found;
    }

    /**
     * A dead build's VM directory is reaped (its processes killed, the directory deleted); a dead build's image is
     * deleted with whatever still writes its disk. Everything else as {@link Platform#remove}.
     */
    @Override
    public void remove(TaggedResource resource) {
        if (resource.kind() == TaggedResource.Kind.INSTANCE && !vms.containsKey(resource.id())) {
            Path dir = Path.of(resource.id());
            if (StaleVmSweeper.isStale(dir)) {
                StaleVmSweeper.reap(dir, log::info);
            }
            return;
        }
        if (resource.kind() == TaggedResource.Kind.IMAGE && !captures.containsKey(resource.id())
                && ImageStore.isImageId(resource.id())) {
            StaleVmSweeper.killProcessesNaming(store.directory().resolve(resource.id() + ".qcow2.part").toString(),
                    "capture of a build that died", log::info);
        }
        Platform.super.remove(resource);
    }

    private List<Path> sweepRoots() {
        List<Path> roots = new ArrayList<>(StaleVmSweeper.tempRoots());
        if (options.workDir() != null) {
            roots.add(options.workDir().toAbsolutePath().normalize());
        }
        return roots;
    }

    private void cancel(Capture capture) {
        capture.cancelled = true;
        Process p = capture.process;
        if (p != null) {
            Exec.kill(p);
        }
        try {
            capture.future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // cancelled: its files are deleted by the capture itself
        }
    }

    // ----------------------------------------------------------------------------------------------- internals

    /** A launchable disk: the file, its format, and kernel files for direct kernel boot, if any. */
    record DiskSource(Path file, String format, Path kernel, Path initrd, String cmdline) {
        @Override
        public String toString() {
            return file.toString();
        }
    }

    DiskSource diskSource(String imageId) throws IOException {
        if (imageId == null) {
            throw new PlatformException("no source image to launch from", true);
        }
        Path file;
        Optional<LocalImage> image = store.findById(imageId);
        if (image.isPresent()) {
            if (!image.get().isAvailable()) {
                throw new PlatformException("image " + imageId + " is " + image.get().state(), true);
            }
            file = store.diskFile(image.get());
        } else {
            file = Path.of(imageId).toAbsolutePath().normalize();
        }
        if (!Files.isRegularFile(file)) {
            throw new PlatformException("source image not found: " + imageId, true);
        }
        String format = imageFormat(file);
        Path kernel = null;
        Path initrd = null;
        String cmdline = null;
        if (options.directKernelBoot()) {
            String base = file.getFileName().toString().replaceFirst("\\.(qcow2|raw|img)$", "");
            Path k = file.resolveSibling(base + ".vmlinuz");
            Path i = file.resolveSibling(base + ".initrd");
            Path c = file.resolveSibling(base + ".cmdline");
            if (Files.isRegularFile(k) && Files.isRegularFile(i) && Files.isRegularFile(c)) {
                kernel = k;
                initrd = i;
                cmdline = Files.readString(c).strip();
            }
        }
        return new DiskSource(file, format, kernel, initrd, cmdline);
    }

    private String imageFormat(Path file) throws IOException {
        String out = Exec.run(List.of(options.qemuImg(), "info", "--output=json", "-U", file.toString()),
                Duration.ofSeconds(30));
        JsonNode info = JSON.readTree(out);
        String format = info.path("format").asText("");
        if (!format.equals("qcow2") && !format.equals("raw")) {
            throw new PlatformException("unsupported disk format '" + format + "' of " + file
                    + " (qcow2 or raw expected)", true);
        }
        return format;
    }

    private void createOverlay(DiskSource src, Path overlay, Integer sizeGb) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(options.qemuImg(), "create", "-q", "-f", "qcow2", "-F", src.format,
                "-b", src.file.toString(), overlay.toString()));
        if (sizeGb != null) {
            cmd.add(sizeGb + "G");
        }
        Exec.run(cmd, Duration.ofSeconds(60));
    }

    private synchronized Accelerator.Choice accelerator() {
        Accelerator.Choice a = accel;
        if (a == null) {
            a = Accelerator.choose(options.accelerator(), hostKey(), options.acceleratorCache(),
                    Accelerator.bootProbe(options.qemuBinary(), PROBE_TIMEOUT), log);
            accel = a;
        }
        return a;
    }

    private String hostKey() {
        if (hostKey == null) {
            hostKey = Accelerator.hostKey(options.qemuBinary());
        }
        return hostKey;
    }

    /**
     * Waits until the first guest under KVM shows that KVM runs it (see {@link KvmConfirmation}), within the
     * launch's own timeout. A guest that faults is relaunched under TCG, unless KVM was asked for by name.
     */
    private void confirmKvm(Vm vm, Duration timeout) {
        Duration window = timeout.compareTo(KVM_CONFIRM_WINDOW) < 0 ? timeout : KVM_CONFIRM_WINDOW;
        try {
            KvmConfirmation.Outcome outcome = KvmConfirmation.watch(vm.machine, vm.sshPort,
                    options.kvmProgressWindow(), window);
            if (outcome.confirmed()) {
                log.info(vm.id + ": KVM runs this guest (" + outcome.detail() + ")");
                Accelerator.remember(hostKey(), options.acceleratorCache(),
                        new Accelerator.Verdict(Accelerator.KVM, "a guest booted: " + outcome.detail(), Instant.now()), log);
                vm.choice = new Accelerator.Choice(Accelerator.KVM, vm.choice.setting(), true);
                synchronized (this) {
                    if (accel != null && accel.isKvm()) {
                        accel = vm.choice;
                    }
                }
                return;
            }
            kvmFailed(vm, outcome.detail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while " + vm.id + " booted", e);
        } catch (IOException e) {
            throw new PlatformException("cannot relaunch " + vm.id + " under TCG: " + e.getMessage(), e);
        }
    }

    /**
     * KVM failed this guest: with {@code auto}, the VM is discarded and launched again, same id, under TCG on a fresh
     * overlay (nothing ran on the first one), and the verdict is kept for this host; a forced {@code kvm} fails.
     */
    private void kvmFailed(Vm vm, String cause) throws IOException, InterruptedException {
        String consoleTail = vm.machine == null ? "" : vm.machine.consoleTail(10);
        if (vm.machine != null) {
            vm.machine.kill();
        }
        if (vm.choice.forced()) {
            throw new PlatformException(vm.id + " failed under KVM: " + cause
                    + (consoleTail.isEmpty() ? "" : "\nconsole (last lines):\n" + consoleTail)
                    + "\n<local><accelerator>kvm</accelerator> forces KVM, which does not run this guest on this host:"
                    + " set it to auto (falls back to TCG) or tcg", true);
        }
        log.warn(vm.id + ": KVM passed its probe on this host but failed the guest (" + cause + "); discarded the VM"
                + " and launching it again under TCG (emulation, slower). Remembered for this kernel and QEMU in "
                + options.acceleratorCache() + ". Pin the choice with <local><accelerator>tcg</accelerator> (or kvm to"
                + " insist on KVM).");
        Accelerator.Verdict verdict = new Accelerator.Verdict(Accelerator.TCG, cause, Instant.now());
        Accelerator.remember(hostKey(), options.acceleratorCache(), verdict, log);
        Accelerator.Choice tcg = new Accelerator.Choice(Accelerator.TCG, vm.choice.setting(), true);
        synchronized (this) {
            accel = tcg;
        }
        vm.choice = tcg;
        if (vm.machine != null) {
            vm.machine.waitFor(Duration.ofSeconds(10));
            Path console = vm.consoleLog();
            if (console != null && Files.exists(console)) {
                Files.move(console, vm.dir.resolve("console-kvm.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.deleteIfExists(vm.overlay);
        createOverlay(vm.source, vm.overlay, vm.sizeGb);
        startWithFreePort(vm, vm.source, Accelerator.TCG);
    }

    private synchronized Path workRoot() throws IOException {
        if (workRoot == null) {
            // first, what builds killed without their shutdown hook left: their VMs and directories
            StaleVmSweeper.sweep(sweepRoots(), log::warn);
            if (options.workDir() != null) {
                workRoot = Files.createDirectories(options.workDir().toAbsolutePath().normalize());
            } else {
                workRoot = io.github.amimaven.process.ShortTemp.createDirectory("ami-local-");
                Files.writeString(workRoot.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.currentOwner());
                workRootIsTemp = true;
            }
        }
        return workRoot;
    }

    private Vm vm(String machineId) {
        Vm vm = vms.get(machineId);
        if (vm == null) {
            throw new PlatformException("no VM " + machineId + " on this platform", false);
        }
        return vm;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the local platform is closed");
        }
    }

    /** Kills the VM and deletes its directory and socket. Safe to call more than once. */
    private void cleanup(Vm vm) {
        synchronized (vm) {
            if (vm.machine != null) {
                vm.machine.kill();
            }
            vm.terminated = true;
            keepConsoleLog(vm);
            try {
                if (vm.qmpSocket != null) {
                    Files.deleteIfExists(vm.qmpSocket);
                }
                io.github.amimaven.process.Directories.deleteRecursively(vm.dir);
            } catch (IOException e) {
                log.warn(vm.id + ": could not delete " + vm.dir + ": " + e.getMessage());
            }
            vm.cleanedUp.countDown();
        }
    }

    private void keepConsoleLog(Vm vm) {
        Path console = vm.consoleLog();
        if (options.logDir() == null || console == null || !Files.exists(console) || vm.cleanedUp.getCount() == 0) {
            return;
        }
        try {
            Files.createDirectories(options.logDir());
            Files.copy(console, options.logDir().resolve(vm.id + "-console.log"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn(vm.id + ": could not keep its console log: " + e.getMessage());
        }
    }

    /** Kills every VM and capture this platform started and deletes what they left; the shutdown hook's job. */
    private void killEverything() {
        closed = true;
        for (Capture c : captures.values()) {
            if (c.future != null && !c.future.isDone()) {
                c.cancelled = true;
                Exec.kill(c.process);
            }
        }
        for (Vm vm : vms.values()) {
            vm.pendingCaptures.set(0);
            cleanup(vm);
        }
        for (Capture c : captures.values()) {
            if (c.cancelled) {
                try {
                    c.future.get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // best effort
                }
            }
        }
        Path root = workRoot;
        if (root != null && workRootIsTemp && !hasKeptVms(root)) {
            try {
                io.github.amimaven.process.Directories.deleteRecursively(root);
            } catch (IOException e) {
                // best effort
            }
        }
    }

    /** A kept VM lives in the work root: then the root stays, and a later sweep removes it once the VM has gone. */
    private static boolean hasKeptVms(Path root) {
        try (var dirs = Files.newDirectoryStream(root, "vm-*")) {
            return dirs.iterator().hasNext();
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Kills whatever is still running (VMs, captures not yet finished) and deletes every VM directory and the
     * temporary work directory. Images already captured stay in the store.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        killEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static final class Vm {
        final String id;
        final String sourceId;
        volatile DiskSource source;
        volatile Integer sizeGb;
        volatile Accelerator.Choice choice;
        final CountDownLatch cleanedUp = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger pendingCaptures = new java.util.concurrent.atomic.AtomicInteger();
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
    }

    private static final class Capture {
        final String imageId;
        final Vm vm;
        volatile CompletableFuture<Void> future;
        volatile Process process;
        volatile boolean cancelled;
        volatile String error;

        Capture(String imageId, Vm vm) {
            this.imageId = imageId;
            this.vm = vm;
        }
    }
}
