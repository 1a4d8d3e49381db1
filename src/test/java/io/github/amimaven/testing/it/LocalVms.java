package io.github.amimaven.testing.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.local.LocalPlatform;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.remote.Ssh;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;

/**
 * What a nested build on the local platform left of its VMs, and what its image holds, for the invoker ITs' verify
 * scripts. The VMs are the
 * build's own, as its log names their directories ({@code …, work dir <dir>}): other builds on the same machine (a
 * CI agent running two jobs) run VMs of their own, and a VM's command line names its directory, not the project.
 */
public final class LocalVms {

    private static final Pattern WORK_DIR = Pattern.compile("work dir (\\S+/vm-[0-9a-f]+)");

    private LocalVms() {
    }

    /** What a command printed (its output and error lines, as they came) on the VM {@code vmId}. */
    public record Answer(String vmId, List<String> lines) {
    }

    /**
     * The proof that a candidate holds what its build made: boots a VM of its own from {@code candidateId} in the
     * store {@code store} (its files under {@code workDir}), runs {@code command} there over SSH as {@code debian},
     * and terminates it. Fails when the command does.
     */
    public static Answer bootCandidate(Path store, Path workDir, String candidateId, String command) throws Exception {
        CollectingLog log = new CollectingLog(line -> {
            if (!line.startsWith("DEBUG ")) {
                System.out.println(line);
            }
        });
        try (LocalPlatform platform = new LocalPlatform(log,
                LocalPlatform.Options.defaults().withStoreDir(store).withWorkDir(workDir))) {
            SshKeys.GeneratedKey key = SshKeys.generate("check of " + candidateId);
            String keyName = platform.importKeyPair("verify", key.publicKeyOpenSsh(), Map.of());
            String id = platform.launch(new LaunchSpec(candidateId, null, keyName, key.publicKeyOpenSsh(), List.of(),
                    null, null, null, null, null, true, null, Map.of()));
            int sshPort = platform.awaitRunning(id, Duration.ofMinutes(2)).sshPort();
            SshSession session = Ssh.connect(new SshTarget("127.0.0.1", sshPort, "debian", key.privateKeyPem()),
                    Duration.ofMinutes(5), log);
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            int exit;
            try {
                exit = session.exec(command, null, lines::add, lines::add);
            } finally {
                session.close();
            }
            if (exit != 0) {
                throw new AssertionError(command + " exited with " + exit + " on " + id + ": " + lines);
            }
            platform.terminate(id);
            platform.awaitTerminated(id, Duration.ofMinutes(1));
            return new Answer(id, List.copyOf(lines));
        }
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
