package io.github.amimaven.verify;

import io.github.amimaven.process.LocalProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import io.github.amimaven.log.BuildLog;

/**
 * Runs a tool on the build machine (inspec, rspec, pytest), streaming each line of its output (masked) to the build
 * log as it comes and keeping the last lines for error messages. An interrupt kills the tool and everything it
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
        log.debug("running " + String.join(" ", command));
        Deque<String> tail = new ArrayDeque<>();
        int exit;
        try {
            exit = LocalProcess.run(command, environment, directory, line -> {
                log.info(line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            });
        } catch (IOException e) {
            throw new VerifyException(name + " could not be started: '" + command.get(0) + "' " + reason(e)
                    + ". Install it on the build machine or set <executable> to its path", e);
        }
        synchronized (tail) {
            return new Result(exit, new ArrayList<>(tail));
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
