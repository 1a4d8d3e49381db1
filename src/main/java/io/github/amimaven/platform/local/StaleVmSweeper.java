package io.github.amimaven.platform.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.platform.ProcessOwner;
import io.github.amimaven.process.Directories;
import io.github.amimaven.process.ShortTemp;

/**
 * Cleans up after a JVM that died without running its shutdown hook (SIGKILL, a crash): each VM directory holds
 * {@code owner} (pid and start time of the JVM that launched it), {@code qemu.pid} and {@code tags.json}. A directory
 * whose owner is gone has its QEMU and capture processes killed (only processes whose command line names the
 * directory, so a reused pid is never hit) and is deleted. Temporary work roots ({@code ami-local-*}) left empty are deleted as well.
 */
final class StaleVmSweeper {

    static final String OWNER_FILE = "owner";
    static final String QEMU_PID_FILE = "qemu.pid";
    private static final String KEPT = "kept-until";
    /** The tags a VM was launched with, as JSON: how the orphan sweep knows its build and project. */
    static final String TAGS_FILE = "tags.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private StaleVmSweeper() {
    }

    /** What identifies this JVM in an owner file: {@code <pid> <start instant>}. */
    static String currentOwner() {
        return ProcessOwner.current();
    }

    /** The owner of a VM kept for debugging: it counts as alive until the given time. */
    static String keptUntil(Instant until) {
        return KEPT + " " + until;
    }

    static boolean ownerAlive(String owner) {
        if (owner.startsWith(KEPT + " ")) {
            try {
                return Instant.now().isBefore(Instant.parse(owner.substring(KEPT.length() + 1).strip()));
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
        return ProcessOwner.isAlive(owner);
    }

    /**
     * Sweeps the VM directories ({@code vm-*}) under each root; deletes roots named {@code ami-local-*} that are
     * left empty. Returns the directories it removed.
     */
    static List<Path> sweep(List<Path> roots, Consumer<String> log) {
        List<Path> removed = new ArrayList<>();
        for (Path dir : staleVmDirs(roots)) {
            if (reap(dir, log)) {
                removed.add(dir);
            }
        }
        for (Path root : roots) {
            if (removeRootIfDeadAndEmpty(root)) {
                removed.add(root);
            }
        }
        return removed;
    }

    /** The VM directories under {@code roots} whose owner JVM is gone. */
    static List<Path> staleVmDirs(List<Path> roots) {
        List<Path> stale = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "vm-*")) {
                for (Path dir : dirs) {
                    if (isStale(dir)) {
                        stale.add(dir);
                    }
                }
            } catch (IOException e) {
                // a root that went away meanwhile
            }
        }
        return stale;
    }

    /** A VM directory with an owner file naming a JVM that no longer runs; one without is being made, or not ours. */
    static boolean isStale(Path dir) {
        Path ownerFile = dir.resolve(OWNER_FILE);
        return dir.getFileName().toString().startsWith("vm-") && Files.isRegularFile(ownerFile)
                && !ownerAlive(readOr(ownerFile, ""));
    }

    /** Why a stale directory is stale, for the sweep's report. */
    static String deadOwner(Path dir) {
        String owner = readOr(dir.resolve(OWNER_FILE), "?").strip();
        if (owner.startsWith(KEPT + " ")) {
            return "it was kept for debugging until " + owner.substring(KEPT.length() + 1);
        }
        return "its JVM (pid " + ProcessOwner.pid(owner) + ") is gone";
    }

    /** The tags the VM was launched with ({@link #TAGS_FILE}), empty when it has none. */
    static Map<String, String> tags(Path dir) {
        try {
            return JSON.readValue(dir.resolve(TAGS_FILE).toFile(), new TypeReference<Map<String, String>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** The temporary work roots of earlier runs: {@code ami-local-*} in {@link ShortTemp#root()}. */
    static List<Path> tempRoots() {
        List<Path> roots = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ShortTemp.root(), "ami-local-*")) {
            dirs.forEach(roots::add);
        } catch (IOException e) {
            // nothing to sweep
        }
        return roots;
    }

    /**
     * Kills what still runs on a stale VM directory (QEMU, a capture's qemu-img: processes whose command line
     * names a file in it, so a reused pid is never hit) and deletes it, and its temporary root once that is empty.
     * False when it is not stale (any more) or cannot be deleted.
     */
    static boolean reap(Path dir, Consumer<String> log) {
        if (!isStale(dir)) {
            return false;
        }
        killProcessesNaming(dir.toString() + java.io.File.separator, "build that died: " + dir, log);
        try {
            Path qmp = ShortTemp.root().resolve("ami-" + dir.getFileName() + ".qmp");
            Files.deleteIfExists(qmp);
            Directories.deleteRecursively(dir);
            log.accept("removed " + dir + " left behind by a build that died");
        } catch (IOException e) {
            log.accept("cannot remove " + dir + ": " + e.getMessage());
            return false;
        }
        Path root = dir.getParent();
        if (root != null) {
            removeRootIfDeadAndEmpty(root);
        }
        return true;
    }

    /** Kills every process (but this JVM and its ancestors) whose command line contains {@code path}. */
    static void killProcessesNaming(String path, String why, Consumer<String> log) {
        java.util.Set<Long> spared = new java.util.HashSet<>();
        for (Optional<ProcessHandle> h = Optional.of(ProcessHandle.current()); h.isPresent(); h = h.get().parent()) {
            spared.add(h.get().pid());
        }
        ProcessHandle.allProcesses()
                .filter(h -> !spared.contains(h.pid()))
                .filter(h -> h.info().commandLine().map(c -> c.contains(path)).orElse(false))
                .forEach(h -> {
                    log.accept("killing " + h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("process")
                            + " " + h.pid() + " left behind by a " + why);
                    h.destroyForcibly();
                    h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                });
    }

    private static boolean removeRootIfDeadAndEmpty(Path root) {
        if (!root.getFileName().toString().startsWith("ami-local-") || !Files.isRegularFile(root.resolve(OWNER_FILE))
                || ownerAlive(readOr(root.resolve(OWNER_FILE), ""))) {
            return false;
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(root,
                p -> !p.getFileName().toString().equals(OWNER_FILE))) {
            if (!left.iterator().hasNext()) {
                Directories.deleteRecursively(root);
                return true;
            }
        } catch (IOException e) {
            // not ours to insist on
        }
        return false;
    }

    private static String readOr(Path f, String dflt) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return dflt;
        }
    }
}
