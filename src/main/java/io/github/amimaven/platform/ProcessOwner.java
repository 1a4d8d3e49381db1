package io.github.amimaven.platform;

import java.time.Instant;
import java.util.Optional;

/**
 * Identifies a JVM on this machine as {@code <pid> <start instant>}, so that a file it leaves behind can later be
 * judged: is the process that wrote it still the one running under that pid? The start instant keeps a reused pid
 * from passing for the original owner.
 */
public final class ProcessOwner {

    private ProcessOwner() {
    }

    /** This JVM: {@code <pid> <start instant>}. */
    public static String current() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("-");
    }

    /** True when the process named by {@code owner} (as written by {@link #current()}) still runs. */
    public static boolean isAlive(String owner) {
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

    /** The pid part of an owner, for messages. */
    public static String pid(String owner) {
        return owner.strip().split(" ", 2)[0];
    }
}
