package io.github.amimaven.platform.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.process.ShortTemp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings VMs up: the VM's directory, its overlay and seed, QEMU on a free loopback port, and the accelerator it runs
 * under, KVM when the host has a working one, with a fall back to TCG when KVM fails the first guest.
 */
final class VmLauncher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A working KVM answers the probe in well under a second; a host that needs longer gets TCG. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a guest under KVM that prints but never answers SSH is watched before it counts as running. */
    static final Duration KVM_CONFIRM_WINDOW = Duration.ofSeconds(90);

    private final BuildLog log;
    private final LocalPlatform.Options options;
    private final VmRegistry registry;
    private final Disks disks;
    private final Map<String, String> keys = new ConcurrentHashMap<>();
    private volatile Accelerator.Choice accel;
    private volatile String hostKey;

    VmLauncher(BuildLog log, LocalPlatform.Options options, VmRegistry registry, Disks disks) {
        this.log = log;
        this.options = options;
        this.registry = registry;
        this.disks = disks;
    }

    /** A key pair is only the public key a later launch authorizes for the image's default user. */
    void importKey(String name, String publicKeyOpenSsh) {
        keys.put(name, publicKeyOpenSsh);
    }

    void deleteKey(String name) {
        keys.remove(name);
    }

    String launch(LaunchSpec spec) {
        registry.checkOpen();
        String id = "vm-" + hex(6);
        Vm vm = new Vm(id, sourceSpecId(spec));
        registry.add(vm);
        try {
            vm.dir = Files.createDirectories(registry.workRoot().resolve(id));
            Files.writeString(vm.dir.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.currentOwner());
            JSON.writeValue(vm.dir.resolve(StaleVmSweeper.TAGS_FILE).toFile(), spec.tags());
            Disks.DiskSource src = disks.diskSource(spec.imageId());
            vm.source = src;
            vm.sizeGb = spec.rootDiskSizeGb();
            vm.overlay = vm.dir.resolve("disk.qcow2");
            disks.createOverlay(src, vm.overlay, spec.rootDiskSizeGb());
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
            log.info(id + ": QEMU (" + vm.choice.accelerator() + ") started from " + src.file() + ", SSH on "
                    + LocalPlatform.ADDRESS + ":" + vm.sshPort + ", work dir " + vm.dir);
            return id;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            registry.cleanup(vm);
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
    private void startWithFreePort(Vm vm, Disks.DiskSource src, String a) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            vm.sshPort = freePort();
            QemuMachine.Spec s = new QemuMachine.Spec(options.qemuBinary(), a, options.memoryMb(), options.cpus(),
                    vm.overlay, vm.seed, vm.sshPort, vm.qmpSocket, vm.dir.resolve("console.log"), src.kernel(),
                    src.initrd(), src.cmdline());
            Files.deleteIfExists(vm.qmpSocket);
            vm.machine = new QemuMachine(vm.id, s, vm.dir.resolve("qemu.log"));
            vm.machine.start();
            Files.writeString(vm.dir.resolve(StaleVmSweeper.QEMU_PID_FILE), String.valueOf(vm.machine.pid()));
            if (registry.isClosed()) {
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
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LocalPlatform.ADDRESS))) {
            return s.getLocalPort();
        }
    }

    /** A unix socket path must stay under ~108 bytes: long work directories use the short temp root instead. */
    static Path qmpSocketPath(Path dir, String id) {
        Path p = dir.resolve("qmp.sock");
        if (p.toString().length() < 100) {
            return p;
        }
        return ShortTemp.root().resolve("ami-" + id + ".qmp");
    }

    Machine awaitRunning(String machineId, Duration timeout) {
        Vm vm = registry.vm(machineId);
        if (vm.choice != null && vm.choice.isKvm() && !vm.choice.confirmed()) {
            confirmKvm(vm, timeout);
        }
        if (vm.machine == null || !vm.machine.isAlive()) {
            throw new PlatformException(machineId + " is not running (QEMU exit "
                    + (vm.machine == null ? "-" : vm.machine.exitCode()) + ")" + vm.diagnostics(), false);
        }
        return new Machine(machineId, LocalPlatform.ADDRESS, LocalPlatform.ADDRESS, null, null, vm.sshPort);
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
        disks.createOverlay(vm.source, vm.overlay, vm.sizeGb);
        startWithFreePort(vm, vm.source, Accelerator.TCG);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
