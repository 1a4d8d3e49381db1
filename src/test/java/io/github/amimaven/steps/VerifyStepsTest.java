package io.github.amimaven.steps;

import io.github.amimaven.testing.FakePlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.pipeline.StepRunner;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.report.Reports;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.verify.CheckResult;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.Verdict;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.verify.VerifyContext;

/** The verify phase: judge the test results, then tag or retire the candidate; and the goal's core around them. */
class VerifyStepsTest {

    @TempDir
    Path reports;

    final FakePlatform platform = new FakePlatform();
    final CollectingLog log = CollectingLog.quiet();

    static final Verifier NEVER_RUN = new Verifier() {
        @Override
        public String describe() {
            return "stand-in";
        }

        @Override
        public VerifierReport verify(VerifyContext ctx) {
            throw new AssertionError("verify only reads what integration-test recorded");
        }
    };

    static ImageSpec image(String name, boolean declaresVerifiers, boolean allowUntested) {
        ImageSpec base = CandidatePipelineTest.image();
        return new ImageSpec(name, base.platform(), base.source(), base.launch(), base.ssh(), List.of(), base.tags(),
                base.nameTemplate(), null, base.timeouts(), declaresVerifiers ? List.of(NEVER_RUN) : List.of(),
                allowUntested);
    }

    static TestSummary summary() {
        Map<String, List<VerifierReport>> byImage = new LinkedHashMap<>();
        byImage.put("web", List.of(new VerifierReport("command (1 check)",
                List.of(CheckResult.passed("command", "port 80", "port 80", 0.1)), null)));
        byImage.put("db", List.of(new VerifierReport("command (1 check)",
                List.of(CheckResult.failed("command", "port 5432", "port 5432", "closed", 0.1)), null)));
        byImage.put("bare", List.of());
        return TestSummary.of(byImage);
    }

    VerdictContext verify(ImageSpec image, Optional<TestSummary> results, boolean keepFailedCandidates) throws Exception {
        platform.holds("ami-1", "ami");
        VerdictContext c = new VerdictContext(image, "ami-1", platform, results, log);
        StepRunner.run(Pipelines.verify(image, keepFailedCandidates), c);
        return c;
    }

    @Test
    void aPassingCandidateIsTaggedVerified() throws Exception {
        VerdictContext c = verify(image("web", true, false), Optional.of(summary()), false);
        assertEquals(Verdict.Outcome.VERIFIED, c.verdict().outcome());
        assertEquals(Map.of("ami-1", Map.of("ami:status", "verified", "ami:verified", "true")), platform.imageTags);
        assertTrue(log.messages().contains("ami: web ami-1 verified"), log.text());
        assertTrue(log.messages().contains("==> Judging the tests of web"), log.text());
    }

    @Test
    void anImageAllowedToGoUntestedIsTaggedVerifiedButNotTested() throws Exception {
        VerdictContext c = verify(image("bare", false, true), Optional.of(summary()), false);
        assertEquals(Verdict.Outcome.ACCEPTED_UNTESTED, c.verdict().outcome());
        assertEquals(Map.of("ami-1", Map.of("ami:status", "verified", "ami:verified", "false")), platform.imageTags);
        assertTrue(log.messages().contains("ami: bare ami-1 accepted untested (allowUntested)"), log.text());
    }

    @Test
    void aFailedCandidateIsDeleted() throws Exception {
        VerdictContext c = verify(image("db", true, false), Optional.of(summary()), false);
        assertEquals(Verdict.Outcome.FAILED, c.verdict().outcome());
        assertTrue(c.verdict().problem().startsWith("1 check(s) failed:"), c.verdict().problem());
        assertEquals(List.of("deleteImage"), platform.calls);
        assertEquals(List.of(), platform.live());
        assertTrue(log.messages().contains("ami: deleted failed candidate ami-1 of db"), log.text());
    }

    @Test
    void aFailedCandidateKeptForInspectionIsTaggedFailed() throws Exception {
        verify(image("db", true, false), Optional.of(summary()), true);
        assertEquals(Map.of("ami-1", Map.of("ami:status", "failed")), platform.imageTags);
        assertEquals(List.of("ami-1"), platform.live());
        assertTrue(log.messages().contains("WARN ami: kept failed candidate ami-1 (keepFailedCandidates), tagged"
                + " ami:status=failed"), log.text());
    }

    @Test
    void skippedTestsLeaveTheCandidateUnjudgedAndTaggedUnverified() throws Exception {
        VerdictContext c = verify(image("db", true, false), Optional.empty(), false);
        assertEquals(Verdict.TESTS_SKIPPED, c.verdict());
        assertEquals(Map.of("ami-1", Map.of("ami:verified", "false")), platform.imageTags);
        assertTrue(log.messages().contains("WARN ami: db ami-1 NOT VERIFIED (tests skipped): tagged ami:verified=false;"
                + " deploy refuses it unless -Dami.forcePromote"),
                log.text());
    }

    // ---- the goal's core ----

    /** Gives every image {@code platform}. */
    static PlatformProvider providing(Platform platform) {
        return new PlatformProvider() {
            @Override
            public Platform platformFor(ImageSpec image) {
                return platform;
            }

            @Override
            public void close() {
            }
        };
    }

    static Reports.Candidate candidate(String image, String id) {
        return new Reports.Candidate(image, id, "fake", "fake-region", "candidate", image + "-1");
    }

    @Test
    void everyImageIsJudgedAndTheFailuresAndMissingCandidatesAreTheGoalsProblems() throws Exception {
        summary().write(reports);
        platform.holds("ami-2", "ami");
        Verification.Outcome outcome = Verification.verify(
                List.of(image("web", true, false), image("db", true, false), image("cache", true, false)),
                Map.of("web", candidate("web", "ami-1"), "db", candidate("db", "ami-2")), reports, false, providing(platform), log);
        assertEquals(Map.of("web", "verified", "db", "failed"), outcome.statuses());
        assertEquals(List.of("[db] 1 check(s) failed:\n    - command (1 check) port 5432 (failed): closed",
                "[cache] has no candidate: run the package phase first"), outcome.problems());
        assertEquals(List.of("ami-1"), List.copyOf(platform.imageTags.keySet()));
        assertFalse(platform.live().contains("ami-2"), "the failed candidate was deleted");
    }

    @Test
    void skippedTestsAreNotJudgedEvenWhenAnEarlierSummaryIsThere() throws Exception {
        summary().write(reports);
        TestSummary.recordSkipped(reports, true);
        Verification.Outcome outcome = Verification.verify(List.of(image("db", true, false)),
                Map.of("db", candidate("db", "ami-1")), reports, false, providing(platform), log);
        assertEquals(Map.of(), outcome.statuses());
        assertEquals(List.of(), outcome.problems());
        assertEquals(Map.of("ami-1", Map.of("ami:verified", "false")), platform.imageTags);
    }

    @Test
    void withoutTestResultsThereIsNothingToJudge() throws Exception {
        IOException missing = assertThrows(IOException.class, () -> Verification.verify(List.of(image("db", true, false)),
                Map.of("db", candidate("db", "ami-1")), reports, false, providing(platform), log));
        assertEquals("no test results at " + reports.resolve("summary.json") + ": run the integration-test phase first",
                missing.getMessage());
        Files.writeString(reports.resolve("summary.json"), "{ not json");
        IOException unreadable = assertThrows(IOException.class, () -> Verification.verify(
                List.of(image("db", true, false)), Map.of("db", candidate("db", "ami-1")), reports, false, providing(platform), log));
        assertTrue(unreadable.getMessage().startsWith("cannot read the test results: "), unreadable.getMessage());
        assertEquals(List.of(), platform.calls);
    }
}
