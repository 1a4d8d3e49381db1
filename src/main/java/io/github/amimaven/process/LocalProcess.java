package io.github.amimaven.process;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.amimaven.log.Secrets;

/**
 * Runs a tool on the build machine (ansible-playbook, py.test, rspec, inspec, qemu-img) with stdin from /dev/null, so
 * that nothing can prompt, and hands each line of its merged output to a sink as it comes, masked (a play or a test
 * may print a secret it was given). The caller's thread waits for the tool, so an interrupt (Ctrl-C, a machine that
 * died, a step past its bound) ends the wait at once, whatever the tool prints or does not print, and kills the tool
 * with everything it started. A tool the caller waits for also dies with the build when the JVM is killed outright
 * ({@code kill -9}, no shutdown hook runs): see {@link #dyingWithThisJvm}.
 */
public final class LocalProcess {

    private static final long GRACE_MS = 3_000;

    /**
     * Run by {@code setsid sh -c}: the shell leads a new process group, starts a watcher, then becomes the tool
     * ({@code exec}, same pid, same group). The watcher polls the JVM's pid each second while the tool lives, and
     * when the JVM is gone kills the whole group: the tool and whatever it started that stayed in its group. A
     * parent-death signal would not do: Linux sends it when the forking thread ends, and the JVM's threads come and go.
     * The watcher is a shell of its own ({@code ami-watch <jvm> <tool>}), not a fork of this one: a fork would carry
     * the tool's command line, and for the second it outlives the tool, pass for it.
     */
    private static final String WATCHER = "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; "
            + "kill -0 \"$1\" 2>/dev/null || kill -s KILL -- -\"$2\"";
    private static final String WATCHDOG = "jvm=$1; shift\n"
            + "sh -c '" + WATCHER + "' ami-watch \"$jvm\" $$ </dev/null >/dev/null 2>&1 &\n"
            + "exec \"$@\"\n";
    private static final Optional<Path> SETSID = onPath("setsid");

    private LocalProcess() {
    }

    /** Starts the command; {@link IOException} when it cannot start (not installed, not executable). */
    public static int run(List<String> command, Map<String, String> environment, Path directory, Consumer<String> output)
            throws IOException, InterruptedException {
        return run(command, environment, directory, output, null);
    }

    /**
     * As {@link #run(List, Map, Path, Consumer)}, within {@code timeout} (null: no bound): a command still running
     * then is ended with everything it started, and {@link IOException} says so.
     */
    public static int run(List<String> command, Map<String, String> environment, Path directory, Consumer<String> output,
            Duration timeout) throws IOException, InterruptedException {
        String tool = command.get(0);
        Process process = start(dyingWithThisJvm(command), environment, directory, ProcessBuilder.Redirect.PIPE);
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.accept(Secrets.global().redact(line));
                }
            } catch (IOException | RuntimeException streamClosed) {
                // the process was killed, or the sink failed: the exit code still tells
            }
        }, "output of " + Path.of(tool).getFileName());
        pump.setDaemon(true);
        pump.start();
        try {
            if (timeout == null) {
                process.waitFor();
            } else if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process.toHandle());
                throw new IOException(tool + " did not finish within " + timeout.toSeconds() + " s");
            }
            pump.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            killTree(process.toHandle());
            // the caller's message then names what was cut short
            throw new InterruptedException("interrupted while running " + tool);
        }
    }

    /**
     * Runs a short command whose output nobody reads (a probe, a control command) and returns its exit code; empty
     * when it did not end within {@code limit}, and it is then killed with everything it started, as on an interrupt.
     */
    public static OptionalInt exitCode(List<String> command, Duration limit) throws IOException, InterruptedException {
        Process process = start(dyingWithThisJvm(command), null, null, ProcessBuilder.Redirect.DISCARD);
        try {
            if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            killTree(process.toHandle());
            throw e;
        }
        killTree(process.toHandle());
        return OptionalInt.empty();
    }

    /**
     * Starts a tool that runs on its own while the caller goes on (a VM, a disk capture, a probe), its merged output
     * written to {@code log}. The caller owns the process: it waits for it, and ends it with {@link #killTree} or
     * {@link #killTreeNow}. It does not die with the JVM: a VM kept for inspection outlives the build on purpose,
     * and the platform's own sweep ends those of dead builds.
     */
    public static Process startWritingTo(List<String> command, Path log) throws IOException {
        return start(command, null, null, ProcessBuilder.Redirect.to(log.toFile()));
    }

    /**
     * The command run under {@link #WATCHDOG} in a session of its own, so that it is killed with its process group
     * once this JVM is gone. As it is where {@code setsid} (util-linux) is missing, and when the executable is not
     * found, so that starting it fails as it always did ("Cannot run program").
     */
    static List<String> dyingWithThisJvm(List<String> command) {
        if (SETSID.isEmpty() || onPath(command.get(0)).isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETSID.get().toString(), "sh", "-c", WATCHDOG, "ami-tool",
                String.valueOf(ProcessHandle.current().pid())));
        wrapped.addAll(command);
        return wrapped;
    }

    private static Process start(List<String> command, Map<String, String> environment, Path directory,
            ProcessBuilder.Redirect output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        if (environment != null) {
            builder.environment().putAll(environment);
        }
        return builder.start();
    }

    /**
     * Runs a command that must succeed within {@code timeout} (qemu-img, an ISO writer) and returns its output,
     * standard error merged in. An exit code other than 0 is an {@link IOException} naming the command, with what it
     * printed.
     */
    public static String output(List<String> command, Duration timeout) throws IOException, InterruptedException {
        StringBuffer printed = new StringBuffer();
        int exit = run(command, null, null, line -> printed.append(line).append('\n'), timeout);
        if (exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + exit + "): " + printed.toString().strip());
        }
        return printed.toString();
    }

    /** The executable a command name runs: a path as it is, a bare name looked up on the {@code PATH}. */
    public static Optional<Path> onPath(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Ends a process and every process it started: asked to end first (TERM), then killed. The descendants are taken
     * before the parent goes, since its children are re-parented the moment it dies.
     */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> all = new java.util.ArrayList<>(root.descendants().toList());
        all.add(root);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
        for (ProcessHandle p : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception notYet) {
                // killed below
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Kills a process and every process it started at once, without asking them to end first, and waits up to 10 s
     * for it to go: for work that is thrown away (a VM discarded, a disk conversion cancelled) and whose files are
     * deleted next. Null is nothing to kill.
     */
    public static void killTreeNow(Process process) {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the processes whose command line holds {@code marker} (a directory only this build made): what a tool
     * left running detached from it, such as OpenSSH connection masters kept by {@code ControlPersist}.
     */
    public static int killMentioning(String marker) {
        int n = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (p.pid() == ProcessHandle.current().pid()) {
                continue;
            }
            String line = p.info().commandLine().orElse("");
            if (!line.isEmpty() && line.contains(marker)) {
                killTree(p);
                n++;
            }
        }
        return n;
    }
}
