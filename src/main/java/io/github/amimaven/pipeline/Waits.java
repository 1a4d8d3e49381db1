package io.github.amimaven.pipeline;

import java.util.concurrent.TimeUnit;

/** Formatting of elapsed times for wait log lines. */
public final class Waits {

    private Waits() {
    }

    public static String elapsed(long startNanos) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        return ms < 10_000 ? String.format("%.1f s", ms / 1000.0) : (ms / 1000) + " s";
    }
}
