package io.github.amimaven.steps;

import io.github.amimaven.testing.FakePlatform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.report.Reports;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.Verdict;

/** What {@code integration-test} records without booting anything: skipped tests, untestable and untested images. */
class CandidateTestsTest {

    @TempDir
    Path target;

    final CollectingLog log = CollectingLog.quiet();
    final FakePlatform platform = new FakePlatform();

    final PlatformProvider platforms = VerifyStepsTest.providing(platform);

    CandidateTests.Request request(List<ImageSpec> images, Map<String, Reports.Candidate> candidates, boolean skip) {
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", target, target);
        return new CandidateTests.Request(images, candidates, target.resolve("ami-reports"), skip, false, project, 2,
                RunOptions.defaults());
    }

    @Test
    void skippedTestsAreRecordedLoudlyAndAnEarlierSummaryIsLeftAlone() throws Exception {
        Path reports = target.resolve("ami-reports");
        TestSummary.of(Map.of()).write(reports);
        String earlier = Files.readString(reports.resolve("summary.json"));
        CandidateTests.run(request(List.of(VerifyStepsTest.image("web", true, false)), Map.of(), true), platforms, log);
        assertTrue(TestSummary.skipped(reports));
        assertEquals(earlier, Files.readString(reports.resolve("summary.json")));
        assertTrue(log.messages().contains("WARN ami: IMAGE TESTS SKIPPED (ami.skipTests): candidates will be tagged"
                + " ami:verified=false"), log.text());
        assertEquals(List.of(), platform.calls);
    }

    @Test
    void anImageWithoutCandidateCouldNotBeTestedAndOneAcceptedUntestedSaysSo() throws Exception {
        Path reports = target.resolve("ami-reports");
        TestSummary.recordSkipped(reports, true);
        CandidateTests.run(request(List.of(VerifyStepsTest.image("web", true, false),
                VerifyStepsTest.image("bare", false, true)), Map.of("bare", VerifyStepsTest.candidate("bare", "ami-1")),
                false), platforms, log);
        assertFalse(TestSummary.skipped(reports), "this run's tests were not skipped");
        TestSummary summary = TestSummary.read(reports).orElseThrow();
        assertEquals(List.of("web", "bare"), List.copyOf(summary.images().keySet()));
        assertEquals(1, summary.images().get("web").totals().errors());
        assertTrue(summary.images().get("web").failed().get(0).message().startsWith("no candidate of web in"
                + " target/ami/manifest.json"), summary.images().get("web").failed().toString());
        assertEquals(1, summary.images().get("bare").totals().skipped());
        assertTrue(Files.isRegularFile(reports.resolve("TEST-ami-web.xml")));
        assertTrue(log.messages().contains(String.format("  %-24s %d check(s), %d failed", "web", 1, 1)), log.text());
        assertTrue(log.messages().contains(String.format("  %-24s no checks: accepted untested (allowUntested)", "bare")),
                log.text());
        assertEquals(List.of(), platform.calls, "nothing to boot");
    }

    /** Jenkins' junit step fails a build whose reports hold no test case: the untested image's says why it has none. */
    @Test
    void anImageAcceptedUntestedHasOneSkippedTestCaseSayingWhy() throws Exception {
        Path reports = target.resolve("ami-reports");
        CandidateTests.run(request(List.of(VerifyStepsTest.image("bare", false, true)),
                Map.of("bare", VerifyStepsTest.candidate("bare", "ami-1")), false), platforms, log);
        String xml = Files.readString(reports.resolve("TEST-ami-bare.xml"));
        assertTrue(xml.contains("<testsuite name=\"ami.bare\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\""),
                xml);
        assertTrue(xml.contains("<testcase name=\"bare\" classname=\"ami.bare.allowUntested\" time=\"0.000\">"
                + "<skipped>accepted untested: bare declares &lt;verifiers/&gt; with"
                + " &lt;allowUntested&gt;true&lt;/allowUntested&gt;</skipped></testcase>"), xml);
        assertEquals(Verdict.Outcome.ACCEPTED_UNTESTED, Verdict.of(TestSummary.read(reports).orElseThrow(), "bare",
                true, true).outcome(), "verify still accepts it");
    }
}
