package io.github.amimaven.remote;

import io.github.amimaven.log.BuildLog;
import java.util.ArrayList;
import java.util.List;

/** Keeps every line, and echoes it for the test report. */
final class TestLog implements BuildLog {

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

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
