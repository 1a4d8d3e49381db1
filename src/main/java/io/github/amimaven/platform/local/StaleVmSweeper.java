package io.github.amimaven.platform.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Cleans up after a JVM that died without running its shutdown hook (SIGKILL, a crash): each VM directory holds
 * {@code owner} (pid and start time of the JVM that launched it) and {@code qemu.pid}. A directory whose owner is
 * gone has its QEMU killed (only when that process's command line names the directory, so a reused pid is never
 * hit) and is deleted. Temporary work roots ({@code ami-local-*}) left empty are deleted as well.
 */
final class StaleVmSweeper {

    static final String OWNER_FILE = "owner";
    static final String QEMU_PID_FILE = "qemu.pid";
    private static final String KEPT = "kept-until";

    private StaleVmSweeper() {
    }

    /** What identifies this JVM in an owner file: {@code <pid> <start instant>}. */
    static String currentOwner() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("-");
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
        String[] parts = owner.strip().split(" ", 2);
        try {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(parts[0]));
            if (h.isEmpty() || !h.get().isAlive()) {
                return false;
            }
            String start = h.get().info().startInstant().map(Instant::toString).orElse("-");
            return parts.length < 2 || parts[1].equals("-") || start.equals("-") || parts[1].equals(start);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Sweeps the VM directories ({@code vm-*}) under each root; deletes roots named {@code ami-local-*} that are
     * left empty. Returns the directories it removed.
     */
    static List<Path> sweep(List<Path> roots, Consumer<String> log) {
        List<Path> removed = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "vm-*")) {
                for (Path dir : dirs) {
                    if (sweepVmDir(dir, log)) {
                        removed.add(dir);
                    }
                }
            } catch (IOException e) {
                log.accept("cannot sweep " + root + ": " + e.getMessage());
            }
            if (root.getFileName().toString().startsWith("ami-local-")
                    && Files.isRegularFile(root.resolve(OWNER_FILE))
                    && !ownerAlive(readOr(root.resolve(OWNER_FILE), ""))) {
                try (DirectoryStream<Path> left = Files.newDirectoryStream(root,
                        p -> !p.getFileName().toString().equals(OWNER_FILE))) {
                    if (!left.iterator().hasNext()) {
                        Exec.deleteRecursively(root);
                        removed.add(root);
                    }
                } catch (IOException e) {
                    // not ours to insist on
                }
            }
        }
        return removed;
    }

    /** The temporary work roots of earlier runs: {@code ami-local-*} in the temp directory. */
    static List<Path> tempRoots() {
        List<Path> roots = new ArrayList<>();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "ami-local-*")) {
            dirs.forEach(roots::add);
        } catch (IOException e) {
            // nothing to sweep
        }
        return roots;
    }

    private static boolean sweepVmDir(Path dir, Consumer<String> log) {
        Path ownerFile = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(ownerFile)) {
            return false; // being created, or not ours
        }
        if (ownerAlive(readOr(ownerFile, ""))) {
            return false;
        }
        String pid = readOr(dir.resolve(QEMU_PID_FILE), "").strip();
        if (!pid.isEmpty()) {
            try {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
                    String cmd = h.info().commandLine().orElse("");
                    if (h.isAlive() && cmd.contains(dir.toString())) {
                        log.accept("killing QEMU " + h.pid() + " left behind by a build that died: " + dir);
                        h.destroyForcibly();
                        h.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
                    }
                });
            } catch (NumberFormatException e) {
                // no usable pid
            }
        }
        try {
            Path qmp = Path.of(System.getProperty("java.io.tmpdir"), "ami-" + dir.getFileName() + ".qmp");
            Files.deleteIfExists(qmp);
            Exec.deleteRecursively(dir);
            log.accept("removed " + dir + " left behind by a build that died");
            return true;
        } catch (IOException e) {
            log.accept("cannot remove " + dir + ": " + e.getMessage());
            return false;
        }
    }

    private static String readOr(Path f, String dflt) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return dflt;
        }
    }
}
