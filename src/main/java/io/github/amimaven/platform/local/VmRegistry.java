package io.github.amimaven.platform.local;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.process.Directories;
import io.github.amimaven.process.LocalProcess;
import io.github.amimaven.process.ShortTemp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a local platform started and where it lives: its VMs and the captures reading their disks, the work directory
 * (made on the first launch, after sweeping what dead builds left), and the cleanup of one VM or of everything at
 * once. It also lists, and reaps, what dead builds left ({@link StaleVmSweeper}).
 */
final class VmRegistry {

    private final BuildLog log;
    private final LocalPlatform.Options options;
    private final ImageStore store;
    private final Map<String, Vm> vms = new ConcurrentHashMap<>();
    private final Map<String, Capture> captures = new ConcurrentHashMap<>();
    private volatile Path workRoot;
    private volatile boolean workRootIsTemp;
    private volatile boolean closed;

    VmRegistry(BuildLog log, LocalPlatform.Options options, ImageStore store) {
        this.log = log;
        this.options = options;
        this.store = store;
    }

    void add(Vm vm) {
        vms.put(vm.id, vm);
    }

    /** The VM, or null when this platform runs none of that id (any more). */
    Vm find(String machineId) {
        return vms.get(machineId);
    }

    Vm vm(String machineId) {
        Vm vm = vms.get(machineId);
        if (vm == null) {
            throw new PlatformException("no VM " + machineId + " on this platform", false);
        }
        return vm;
    }

    /** Lets go of a VM: neither {@link #killEverything()} nor the shutdown hook touches it afterwards. */
    Vm forget(String machineId) {
        return vms.remove(machineId);
    }

    void add(Capture capture) {
        captures.put(capture.imageId, capture);
    }

    /** The capture that makes this image, or null when this platform started none. */
    Capture capture(String imageId) {
        return captures.get(imageId);
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the local platform is closed");
        }
    }

    Path workDirectory() {
        return workRoot;
    }

    synchronized Path workRoot() throws IOException {
        if (workRoot == null) {
            // first, what builds killed without their shutdown hook left: their VMs and directories
            StaleVmSweeper.sweep(sweepRoots(), log::warn);
            if (options.workDir() != null) {
                workRoot = Files.createDirectories(options.workDir().toAbsolutePath().normalize());
            } else {
                workRoot = ShortTemp.createDirectory("ami-local-");
                Files.writeString(workRoot.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.currentOwner());
                workRootIsTemp = true;
            }
        }
        return workRoot;
    }

    private List<Path> sweepRoots() {
        List<Path> roots = new ArrayList<>(StaleVmSweeper.tempRoots());
        if (options.workDir() != null) {
            roots.add(options.workDir().toAbsolutePath().normalize());
        }
        return roots;
    }

    /** Kills the VM and deletes its directory and socket. Safe to call more than once. */
    void cleanup(Vm vm) {
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
                Directories.deleteRecursively(vm.dir);
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
    void killEverything() {
        closed = true;
        for (Capture c : captures.values()) {
            if (c.future != null && !c.future.isDone()) {
                c.cancelled = true;
                LocalProcess.killTreeNow(c.process);
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
                Directories.deleteRecursively(root);
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
     * VMs whose JVM died (their directories under the temporary work roots and the work directory), and the store's
     * images tagged by a build. VM directories from before tags were written are listed whatever the project.
     */
    List<TaggedResource> findTagged(String project) {
        List<TaggedResource> found = new ArrayList<>();
        for (Path dir : StaleVmSweeper.staleVmDirs(sweepRoots())) {
            Map<String, String> tags = StaleVmSweeper.tags(dir);
            if (project == null || tags.isEmpty() || project.equals(tags.get(TaggedResource.PROJECT))) {
                found.add(new TaggedResource(TaggedResource.Kind.INSTANCE, dir.toString(), tags, "owner gone", null,
                        StaleVmSweeper.deadOwner(dir)));
            }
        }
        for (LocalImage image : store.list()) {
            Map<String, String> tags = new TreeMap<>(image.tags());
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
     * A dead build's VM directory is reaped (its processes killed, the directory deleted): true, nothing is left to do.
     * A dead build's image goes with whatever still writes its disk: that is killed here, and false leaves deleting the
     * image to {@link Platform#remove}, as everything else.
     */
    boolean reapDeadBuild(TaggedResource resource) {
        if (resource.kind() == TaggedResource.Kind.INSTANCE && !vms.containsKey(resource.id())) {
            Path dir = Path.of(resource.id());
            if (StaleVmSweeper.isStale(dir)) {
                StaleVmSweeper.reap(dir, log::info);
            }
            return true;
        }
        if (resource.kind() == TaggedResource.Kind.IMAGE && !captures.containsKey(resource.id())
                && ImageStore.isImageId(resource.id())) {
            StaleVmSweeper.killProcessesNaming(store.directory().resolve(resource.id() + ".qcow2.part").toString(),
                    "capture of a build that died", log::info);
        }
        return false;
    }
}
