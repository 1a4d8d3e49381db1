package io.github.amimaven.steps;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.report.Reports;
import io.github.amimaven.verify.CheckResult;
import io.github.amimaven.verify.JUnitReports;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.VerifierReport;

/**
 * {@code integration-test}: tests each candidate on an instance of its own ({@link Pipelines#candidateTest}) and
 * records the results, a JUnit XML file per image and {@code summary.json}, without judging them: {@code verify}
 * does ({@link Verification}).
 */
public final class CandidateTests {

    /** The verifier an image accepted untested reports as: one skipped check saying so. */
    static final String ACCEPTED_UNTESTED = "allowUntested";

    private CandidateTests() {
    }

    /**
     * @param candidates    the candidates the manifest records, by image; not read when the tests are skipped
     * @param reports       where the results go
     * @param keepOnFailure leave a test instance whose checks failed running, for the user to log in
     */
    public record Request(List<ImageSpec> images, Map<String, Reports.Candidate> candidates, Path reports,
            boolean skipTests, boolean keepOnFailure, ProjectInfo project, int threads, RunOptions run) {
    }

    /** @throws IOException the results cannot be written */
    public static void run(Request request, PlatformProvider platforms, BuildLog log) throws IOException {
        TestSummary.recordSkipped(request.reports(), request.skipTests());
        if (request.skipTests()) {
            log.warn("**************************************************************************");
            log.warn("ami: IMAGE TESTS SKIPPED (ami.skipTests): candidates will be tagged ami:verified=false");
            log.warn("**************************************************************************");
            return;
        }
        Map<String, List<VerifierReport>> byImage = new LinkedHashMap<>();
        List<ImageSpec> toTest = new ArrayList<>();
        for (ImageSpec spec : request.images()) {
            Reports.Candidate candidate = request.candidates().get(spec.name());
            if (candidate == null) {
                byImage.put(spec.name(), List.of(VerifierReport.couldNotRun("candidate",
                        "no candidate of " + spec.name() + " in target/ami/manifest.json: run the package phase first")));
            } else if (spec.verifiers().isEmpty() && spec.allowUntested()) {
                // a report without test cases fails Jenkins' junit step: one skipped case says why none ran
                byImage.put(spec.name(), List.of(new VerifierReport(ACCEPTED_UNTESTED, List.of(new CheckResult(
                        ACCEPTED_UNTESTED, spec.name(), null, CheckResult.Status.SKIPPED, "accepted untested: "
                        + spec.name() + " declares <verifiers/> with <allowUntested>true</allowUntested>", 0)), null)));
            } else if (spec.verifiers().isEmpty()) {
                byImage.put(spec.name(), List.of());
            } else {
                toTest.add(spec.withSource(new SourceSpec(candidate.id(), null, null, null, null)));
            }
        }
        if (!toTest.isEmpty()) {
            String buildId = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            log.info("ami: testing " + toTest.size() + " candidate(s), build id " + buildId);
            List<ImageResult> results = ImageBuilds.run(toTest,
                    spec -> Pipelines.candidateTest(spec, request.keepOnFailure()), platforms, log, buildId,
                    request.project(), request.threads(), request.run());
            for (ImageResult r : results) {
                List<VerifierReport> all = new ArrayList<>(r.verifierReports());
                if (!r.succeeded()) {
                    all.add(VerifierReport.couldNotRun("test instance", r.failedStep() + ": " + r.failure().getMessage()));
                }
                byImage.put(r.image().name(), all);
            }
        }
        Instant now = Instant.now();
        for (Map.Entry<String, List<VerifierReport>> e : byImage.entrySet()) {
            JUnitReports.writeImage(request.reports(), e.getKey(), e.getValue(), now);
            if (e.getValue().stream().anyMatch(r -> r.verifier().equals(ACCEPTED_UNTESTED))) {
                log.info(String.format("  %-24s no checks: accepted untested (allowUntested)", e.getKey()));
                continue;
            }
            long checks = e.getValue().stream().mapToLong(VerifierReport::total).sum();
            long failed = e.getValue().stream().mapToLong(r -> r.failed().size()).sum();
            log.info(String.format("  %-24s %d check(s), %d failed", e.getKey(), checks, failed));
        }
        TestSummary.of(byImage).write(request.reports());
    }
}
