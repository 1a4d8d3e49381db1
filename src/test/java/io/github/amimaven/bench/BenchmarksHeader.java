package io.github.amimaven.bench;

/** The start of a new BENCHMARKS.md; every run appends its rows to the tables below it. */
final class BenchmarksHeader {

    static final String TEXT = """
            # Benchmarks

            Measured by `bench/run` (README: Benchmarks). Every run appends its rows to the tables below, each with
            the date, the machine, the commit (`+changes`: with uncommitted changes) and the 1-minute load average
            when the row was written. The EC2 figures come from real `mvn deploy` runs against the EC2 test endpoint
            with scaled latencies: instance running after 3 s, stopped after 2 s, terminated after 2 s, image
            available after 8 s, copy 10 s per region. The critical path is the sum of the waits along one image's
            chain (running + stopped + available, plus one copy when there are other regions: copies run side by
            side); "Maven start" is the same `mvn deploy` with the plugin skipped (`-Dami.skip`), the median of
            several runs.
            """;

    private BenchmarksHeader() {
    }
}
