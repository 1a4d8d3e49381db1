package io.github.amimaven.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.amimaven.log.BuildLog;

/**
 * A test log: keeps every line (thread-safe: tool output arrives on reader threads) and echoes it, by default to
 * stdout for the test report.
 */
public final class CollectingLog implements BuildLog {

    private record Line(String level, String message) {
        @Override
        public String toString() {
            return level + " " + message;
        }
    }

    private final List<Line> lines = new ArrayList<>();
    private final Consumer<String> echo;

    public CollectingLog() {
        this(System.out::println);
    }

    /** Echoes each line, {@code LEVEL message}, to {@code echo} instead: with a label, into another log, filtered. */
    public CollectingLog(Consumer<String> echo) {
        this.echo = echo;
    }

    /** Keeps the lines and echoes none: for tests that print nothing. */
    public static CollectingLog quiet() {
        return new CollectingLog(line -> { });
    }

    @Override
    public void debug(String message) {
        add("DEBUG", message);
    }

    @Override
    public void info(String message) {
        add("INFO", message);
    }

    @Override
    public void warn(String message) {
        add("WARN", message);
    }

    @Override
    public void error(String message) {
        add("ERROR", message);
    }

    private synchronized void add(String level, String message) {
        Line line = new Line(level, message);
        lines.add(line);
        echo.accept(line.toString());
    }

    /** Every line as {@code LEVEL message}. */
    public synchronized List<String> lines() {
        return lines.stream().map(Line::toString).toList();
    }

    public synchronized String text() {
        return String.join("\n", lines());
    }

    /**
     * What a user sees at the default level: info lines as they were written, warnings and errors after their
     * level ({@code WARN message}); no debug.
     */
    public synchronized List<String> messages() {
        return lines.stream().filter(l -> !l.level().equals("DEBUG"))
                .map(l -> l.level().equals("INFO") ? l.message() : l.toString()).toList();
    }
}
