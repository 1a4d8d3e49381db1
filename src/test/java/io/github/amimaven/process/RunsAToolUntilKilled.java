package io.github.amimaven.process;

import java.util.List;

/**
 * The JVM {@link LocalProcessTest} kills outright: runs a tool through {@link LocalProcess} that starts a child and
 * prints both pids, then waits for it (300 s) like a build waiting for ansible-playbook.
 */
public final class RunsAToolUntilKilled {

    private RunsAToolUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        LocalProcess.run(List.of("sh", "-c", "sleep 300 & echo \"tool $$ child $!\"; wait"), null, null, line -> {
            System.out.println(line);
            System.out.flush();
        });
    }
}
