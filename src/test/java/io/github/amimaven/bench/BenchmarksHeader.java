package io.github.amimaven.bench;

/** The start of a new BENCHMARKS.md; every run appends its rows to the tables below it. */
final class BenchmarksHeader {

    static final String TEXT = """
            # Benchmarks

            Measured by `bench/run` (see README.md); every run appends its rows to the tables below, with the date,
            the machine, the commit and the 1-minute load average at the end of the measurement.
            """;

    private BenchmarksHeader() {
    }
}
