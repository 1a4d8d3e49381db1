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
    void anImageWithoutCandidateCouldNotBeTestedAndOneWithoutVerifiersRanNoCheck() throws Exception {
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
        assertEquals(0, summary.images().get("bare").totals().tests());
        assertTrue(Files.isRegularFile(reports.resolve("TEST-ami-web.xml")));
        assertTrue(Files.isRegularFile(reports.resolve("TEST-ami-bare.xml")));
        assertTrue(log.messages().contains(String.format("  %-24s %d check(s), %d failed", "web", 1, 1)), log.text());
        assertTrue(log.messages().contains(String.format("  %-24s %d check(s), %d failed", "bare", 0, 0)), log.text());
        assertEquals(List.of(), platform.calls, "nothing to boot");
    }
}
