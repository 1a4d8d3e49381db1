package io.github.amimaven.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.log.Secrets;

/**
 * Runs a tool on the build machine (inspec, rspec, pytest), streaming each line of its output to the build log
 * as it comes and keeping the last lines for error messages. An interrupt kills the tool and everything it
 * started.
 */
final class LocalTool {

    static final int TAIL_LINES = 20;

    /** How the tool ended, with its last lines of output (stdout and stderr merged). */
    record Result(int exitCode, List<String> tail) {

        String tailText() {
            return tail.isEmpty() ? "(no output)" : String.join("\n", tail);
        }
    }

    private LocalTool() {
    }

    /**
     * @param name    what messages call the tool, e.g. {@code inspec}
     * @param command the command line; never holds a secret, since it shows in process listings
     */
    static Result run(String name, List<String> command, Path directory, Map<String, String> environment, BuildLog log)
            throws VerifyException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(environment);
        log.debug("running " + String.join(" ", command));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new VerifyException(name + " could not be started: '" + command.get(0) + "' " + reason(e)
                    + ". Install it on the build machine or set <executable> to its path", e);
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    line = Secrets.global().redact(line);
                    log.info(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException streamClosed) {
                // the process was killed
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        try {
            int exit = process.waitFor();
            reader.join(5_000);
            synchronized (tail) {
                return new Result(exit, new ArrayList<>(tail));
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
    }

    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }

    private static String reason(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("error=2")) {
            return "was not found";
        }
        if (m.contains("error=13")) {
            return "is not executable";
        }
        return "failed: " + m;
    }
}
