package io.github.amimaven.steps;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.pipeline.StepRunner;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.report.Reports;
import io.github.amimaven.verify.TestSummary;

/**
 * {@code verify}: judges each candidate by what {@code integration-test} recorded and tags or retires it
 * ({@link Pipelines#verify}).
 */
public final class Verification {

    private Verification() {
    }

    /**
     * @param statuses the candidate's new status ({@code verified}, {@code failed}) by image, for the manifest
     * @param problems one line per image that did not pass: the goal fails with them
     */
    public record Outcome(Map<String, String> statuses, List<String> problems) {
    }

    /**
     * @param reports    where {@code integration-test} wrote its results
     * @param candidates the candidates the manifest records, by image
     * @throws IOException there are no test results to judge, or they cannot be read
     */
    public static Outcome verify(List<ImageSpec> images, Map<String, Reports.Candidate> candidates, Path reports,
            boolean keepFailedCandidates, PlatformProvider platforms, BuildLog log) throws IOException {
        Optional<TestSummary> testResults = testResults(reports);
        Map<String, String> statuses = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ImageSpec image : images) {
            Reports.Candidate candidate = candidates.get(image.name());
            if (candidate == null) {
                problems.add("[" + image.name() + "] has no candidate: run the package phase first");
                continue;
            }
            VerdictContext context = new VerdictContext(image, candidate.id(), platforms.platformFor(image), testResults,
                    log);
            run(context, keepFailedCandidates);
            switch (context.verdict().outcome()) {
                case VERIFIED, ACCEPTED_UNTESTED -> statuses.put(image.name(), "verified");
                case FAILED -> {
                    statuses.put(image.name(), "failed");
                    problems.add("[" + image.name() + "] " + context.verdict().problem());
                }
                case TESTS_SKIPPED -> {
                    // the candidate keeps its status: it was neither verified nor failed
                }
            }
        }
        return new Outcome(statuses, problems);
    }

    /** The summary to judge; empty when the tests were skipped, so that an earlier run's summary is not judged. */
    private static Optional<TestSummary> testResults(Path reports) throws IOException {
        if (TestSummary.skipped(reports)) {
            return Optional.empty();
        }
        Optional<TestSummary> summary;
        try {
            summary = TestSummary.read(reports);
        } catch (IOException e) {
            throw new IOException("cannot read the test results: " + e.getMessage(), e);
        }
        return Optional.of(summary.orElseThrow(() -> new IOException("no test results at "
                + reports.resolve(TestSummary.FILE) + ": run the integration-test phase first")));
    }

    private static void run(VerdictContext context, boolean keepFailedCandidates) {
        try {
            StepRunner.run(Pipelines.verify(context.image, keepFailedCandidates), context);
        } catch (RuntimeException e) {
            throw e; // a platform call failed: the goal ends with it
        } catch (Exception e) {
            // the steps throw nothing checked: only an interrupt between them comes here
            throw new IllegalStateException(e);
        }
    }
}
