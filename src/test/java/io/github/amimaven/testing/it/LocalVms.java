package io.github.amimaven.testing.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.amimaven.process.ShortTemp;

/**
 * What a nested build on the local platform left of its VMs, for the invoker ITs' verify scripts. The VMs are the
 * build's own, as its log names their directories ({@code …, work dir <dir>}): other builds on the same machine (a
 * CI agent running two jobs) run VMs of their own, and a VM's command line names its directory, not the project.
 */
public final class LocalVms {

    private static final Pattern WORK_DIR = Pattern.compile("work dir (\\S+/vm-[0-9a-f]+)");

    private LocalVms() {
    }

    /** The VM directories the build's log names, in order; it fails when there are none, as nothing would be checked. */
    public static List<Path> launched(String buildLog) {
        List<Path> dirs = new ArrayList<>();
        Matcher m = WORK_DIR.matcher(buildLog);
        while (m.find()) {
            dirs.add(Path.of(m.group(1)));
        }
        if (dirs.isEmpty()) {
            throw new AssertionError("the build's log names no VM directory ('work dir …')");
        }
        return dirs;
    }

    /**
     * What is left of those VMs: a process whose command line names one of the directories, a directory, or its
     * temporary work root ({@code ami-local-*} under {@link ShortTemp#root()}, where the plugin makes it). Empty when
     * the build cleaned up.
     */
    public static List<String> leftovers(List<Path> dirs) {
        List<String> left = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            String command = h.info().commandLine().orElse("");
            if (dirs.stream().anyMatch(d -> command.contains(d + "/"))) {
                left.add("process " + h.pid() + ": " + command);
            }
        });
        for (Path dir : dirs) {
            if (Files.exists(dir)) {
                left.add("directory " + dir);
            }
            Path root = dir.getParent();
            if (!root.getParent().equals(ShortTemp.root()) || !root.getFileName().toString().startsWith("ami-local-")) {
                left.add("work root " + root + " is not an ami-local-* directory under " + ShortTemp.root());
            } else if (Files.exists(root)) {
                left.add("work root " + root);
            }
        }
        return left;
    }
}
