package io.github.amimaven.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** summary.json as CI servers read it, read back by verify, and the verdict verify draws from it. */
class TestSummaryTest {

    @TempDir
    Path dir;

    private static Map<String, List<VerifierReport>> webFailingDbPassing() {
        Map<String, List<VerifierReport>> byImage = new LinkedHashMap<>();
        byImage.put("web", JUnitReportsTest.reports());
        byImage.put("db", List.of(new VerifierReport("command (1 check)",
                List.of(CheckResult.passed("command", "port 5432", "port 5432", 0.05)), null)));
        return byImage;
    }

    @Test
    void summaryListsTotalsPerImageAndFailedChecks() throws Exception {
        Path file = TestSummary.of(webFailingDbPassing()).write(dir);
        assertEquals(dir.resolve("summary.json"), file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertFalse(root.path("succeeded").asBoolean());
        assertEquals(6, root.path("totals").path("tests").asInt());
        JsonNode web = root.path("images").path("web");
        assertFalse(web.path("succeeded").asBoolean());
        assertEquals(1, web.path("failures").asInt());
        assertEquals(1, web.path("errors").asInt());
        assertEquals(1, web.path("skipped").asInt());
        assertEquals(2, web.path("passed").asInt());
        assertEquals(0.214, web.path("seconds").asDouble());
        assertEquals("TEST-ami-web.xml", web.path("junitReport").asText());
        assertEquals("/t/inspec.json", web.path("verifiers").get(0).path("rawReport").asText());
        assertTrue(web.path("verifiers").get(1).path("rawReport").isNull());
        assertEquals(2, web.path("failed").size());
        assertEquals("ssh-02", web.path("failed").get(0).path("id").asText());
        assertEquals("FAILED", web.path("failed").get(0).path("status").asText());
        assertEquals(JUnitReportsTest.NASTY, web.path("failed").get(0).path("message").asText());
        assertEquals("ERROR", web.path("failed").get(1).path("status").asText());
        assertTrue(root.path("images").path("db").path("succeeded").asBoolean());
        assertEquals(List.of("web", "db"), root.path("images").properties().stream().map(Map.Entry::getKey).toList());
    }

    @Test
    void readGivesBackWhatWasWritten() throws Exception {
        TestSummary written = TestSummary.of(webFailingDbPassing());
        written.write(dir);
        TestSummary read = TestSummary.read(dir).orElseThrow();
        assertEquals(written, read);
        assertEquals(List.of("web", "db"), List.copyOf(read.images().keySet()));
        assertEquals(new TestSummary.FailedCheck("inspec profiles/baseline", "image-baseline", "os-02", "Kernel",
                CheckResult.Status.ERROR, "NoMethodError: undefined method"), read.images().get("web").failed().get(1));
    }

    @Test
    void noSummaryReadsAsEmpty() throws Exception {
        assertEquals(Optional.empty(), TestSummary.read(dir));
    }

    @Test
    void skippedTestsAreRecordedUntilTheNextRunTests() throws Exception {
        assertFalse(TestSummary.skipped(dir));
        TestSummary.recordSkipped(dir.resolve("ami-reports"), true);
        assertTrue(TestSummary.skipped(dir.resolve("ami-reports")));
        TestSummary.recordSkipped(dir.resolve("ami-reports"), false);
        assertFalse(TestSummary.skipped(dir.resolve("ami-reports")));
    }

    @Test
    void anImageWhoseChecksAllPassedPasses() {
        TestSummary summary = TestSummary.of(webFailingDbPassing());
        assertEquals(Optional.empty(), summary.problem("db", false));
    }

    @Test
    void anImageMissingFromTheSummaryWasNotTested() {
        TestSummary summary = TestSummary.of(webFailingDbPassing());
        assertEquals(Optional.of("was not tested: run the integration-test phase"), summary.problem("cache", true));
    }

    @Test
    void failedChecksAreQuotedWithVerifierIdStatusAndMessage() {
        TestSummary summary = TestSummary.of(webFailingDbPassing());
        assertEquals("2 check(s) failed:"
                + "\n    - inspec profiles/baseline ssh-02 (failed): " + JUnitReportsTest.NASTY
                + "\n    - inspec profiles/baseline os-02 (error): NoMethodError: undefined method",
                summary.problem("web", true).orElseThrow());
    }

    @Test
    void theFirstFiveFailuresAreQuotedAndTheRestCounted() {
        List<CheckResult> seven = IntStream.rangeClosed(1, 7)
                .mapToObj(i -> CheckResult.failed("s", "c" + i, "c" + i, "m" + i, 0)).toList();
        TestSummary summary = TestSummary.of(Map.of("web", List.of(new VerifierReport("command", seven, null))));
        String problem = summary.problem("web", false).orElseThrow();
        assertTrue(problem.startsWith("7 check(s) failed:\n    - command c1 (failed): m1\n"), problem);
        assertTrue(problem.contains("    - command c5 (failed): m5\n    - … and 2 more"), problem);
        assertFalse(problem.contains("c6"), problem);
    }

    @Test
    void anImageThatRanNoCheckFailsUnlessItMayGoUntested() {
        TestSummary summary = TestSummary.of(Map.of("web", List.of()));
        assertEquals(Optional.of("ran no checks: add <verifiers>, or declare <verifiers/> with"
                + " <allowUntested>true</allowUntested>"), summary.problem("web", false));
        assertEquals(Optional.empty(), summary.problem("web", true));
    }

    @Test
    void theVerdictOfASummaryReadBackIsTheVerdictOfTheOneWritten() throws Exception {
        TestSummary written = TestSummary.of(webFailingDbPassing());
        written.write(dir);
        TestSummary read = TestSummary.read(dir).orElseThrow();
        assertEquals(written.problem("web", false), read.problem("web", false));
        assertEquals(Optional.empty(), read.problem("db", false));
    }
}
