package io.github.amimaven.testing;

import java.util.ArrayList;
import java.util.List;

import io.github.amimaven.log.BuildLog;

/** A test log: keeps every line (thread-safe: tool output arrives on reader threads) and echoes it for the test report. */
public final class CollectingLog implements BuildLog {

    private final List<String> lines = new ArrayList<>();

    @Override
    public void debug(String message) {
        add("DEBUG " + message);
    }

    @Override
    public void info(String message) {
        add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        add("WARN " + message);
    }

    @Override
    public void error(String message) {
        add("ERROR " + message);
    }

    private synchronized void add(String line) {
        lines.add(line);
        System.out.println(line);
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String text() {
        return String.join("\n", lines);
    }
}
