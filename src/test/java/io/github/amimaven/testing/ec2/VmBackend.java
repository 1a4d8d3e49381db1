package io.github.amimaven.testing.ec2;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.local.LocalPlatform;
import io.github.amimaven.testing.CollectingLog;

/**
 * VM mode of the endpoint: an instance is a real QEMU VM booted from the disk its AMI stands for, reachable over
 * SSH on the instance's addresses, and CreateImage captures the stopped VM's disk. The VMs, their overlays and the
 * captured disks are the local platform's, kept under the endpoint's work directory. All calls block: the endpoint
 * makes them from background threads and changes the EC2 state when they return.
 */
final class VmBackend implements AutoCloseable {

    private static final Duration BOOT = Duration.ofMinutes(1);
    private static final Duration CAPTURE = Duration.ofMinutes(15);

    private final Path root;
    private final Consumer<String> log;
    private final Map<String, LoopbackForwarder> forwarders = new ConcurrentHashMap<>();
    private LocalPlatform platform;

    VmBackend(Path root, Consumer<String> log) {
        this.root = root;
        this.log = log;
    }

    private synchronized LocalPlatform platform() {
        if (platform == null) {
            // the endpoint's log shows the VMs' lines at info and above
            CollectingLog toEndpointLog = new CollectingLog(line -> {
                if (!line.startsWith("DEBUG ")) {
                    log.accept("vm " + line);
                }
            });
            platform = new LocalPlatform(toEndpointLog, LocalPlatform.Options.defaults()
                    .withStoreDir(root.resolve("store")).withWorkDir(root.resolve("work")).withLogDir(root.resolve("logs"))
                    .withAccelerator(System.getProperty("ami.local.accelerator", "auto")));
        }
        return platform;
    }

    /**
     * Boots a VM from {@code disk} (a disk file or an image this backend captured) with the key and user data an
     * EC2 instance would get, and forwards SSH from {@code addresses}:{@code port} to it. Returns the VM's id.
     */
    String launch(String disk, String publicKey, String userData, List<String> addresses, int port) throws Exception {
        LocalPlatform p = platform();
        String vm = p.launch(new LaunchSpec(disk, null, null, publicKey, List.of(), null, null, null, null, userData,
                false, null, Map.of()));
        try {
            p.awaitRunning(vm, BOOT);
            forwarders.put(vm, LoopbackForwarder.start(addresses, port, p.sshPort(vm)));
            return vm;
        } catch (Exception e) {
            p.terminate(vm);
            throw e;
        }
    }

    /** A clean guest shutdown; returns once the VM has powered off. */
    void stop(String vm, Duration timeout) {
        platform().stop(vm);
        platform().awaitStopped(vm, timeout);
        closeForwarder(vm);
    }

    /** Captures a stopped VM's disk as a standalone image; returns what {@link #launch} takes as its disk. */
    String capture(String vm, String name) {
        String image = platform().createImage(vm, name, "captured by the EC2 test endpoint", Map.of());
        platform().awaitImageAvailable(image, CAPTURE);
        return image;
    }

    void terminate(String vm) {
        closeForwarder(vm);
        platform().terminate(vm);
        platform().awaitTerminated(vm, BOOT);
    }

    private void closeForwarder(String vm) {
        LoopbackForwarder f = forwarders.remove(vm);
        if (f != null) {
            f.close();
        }
    }

    @Override
    public synchronized void close() {
        forwarders.values().forEach(LoopbackForwarder::close);
        forwarders.clear();
        if (platform != null) {
            platform.close();
        }
    }
}
