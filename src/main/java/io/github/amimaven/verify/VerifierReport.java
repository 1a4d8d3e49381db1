package io.github.amimaven.verify;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one verifier found.
 *
 * @param verifier  the verifier's {@link Verifier#describe()}
 * @param results   one per check, in the order the tool reported them
 * @param rawReport the tool's own report file (InSpec JSON, NUnit XML, ...) when it wrote one, else null
 */
public record VerifierReport(String verifier, List<CheckResult> results, Path rawReport) {

    public VerifierReport {
        Objects.requireNonNull(verifier, "verifier");
        results = List.copyOf(results);
    }

    /** A report for a verifier that could not run at all: one ERROR result carrying the reason. */
    public static VerifierReport couldNotRun(String verifier, String reason) {
        return new VerifierReport(verifier, List.of(new CheckResult(verifier, verifier, verifier,
                CheckResult.Status.ERROR, reason, 0)), null);
    }

    public int total() {
        return results.size();
    }

    public int count(CheckResult.Status status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }

    public int passed() {
        return count(CheckResult.Status.PASSED);
    }

    public int failures() {
        return count(CheckResult.Status.FAILED);
    }

    public int errors() {
        return count(CheckResult.Status.ERROR);
    }

    public int skipped() {
        return count(CheckResult.Status.SKIPPED);
    }

    /** The checks that failed or errored. */
    public List<CheckResult> failed() {
        return results.stream().filter(CheckResult::isFailure).toList();
    }

    /** True when no check failed or errored (skips do not count against it). */
    public boolean succeeded() {
        return failed().isEmpty();
    }

    public double seconds() {
        return results.stream().mapToDouble(CheckResult::seconds).sum();
    }

    /** {@code 12 checks: 10 passed, 1 failed, 0 errors, 1 skipped}. */
    public String summary() {
        return total() + (total() == 1 ? " check: " : " checks: ") + passed() + " passed, " + failures() + " failed, "
                + errors() + (errors() == 1 ? " error, " : " errors, ") + skipped() + " skipped";
    }
}
