package io.github.amimaven.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The verdict {@code verify} draws per image from {@code summary.json}. */
class VerdictTest {

    static TestSummary summary() {
        Map<String, List<VerifierReport>> byImage = new LinkedHashMap<>();
        byImage.put("web", JUnitReportsTest.reports());
        byImage.put("db", List.of(new VerifierReport("command (1 check)",
                List.of(CheckResult.passed("command", "port 5432", "port 5432", 0.05)), null)));
        byImage.put("bare", List.of());
        return TestSummary.of(byImage);
    }

    @Test
    void passingChecksVerify() {
        Verdict v = Verdict.of(summary(), "db", false, false);
        assertEquals(Verdict.Outcome.VERIFIED, v.outcome());
        assertNull(v.problem());
    }

    @Test
    void anImageWithoutVerifiersPassesOnlyWhenItAllowsThat() {
        assertEquals(new Verdict(Verdict.Outcome.ACCEPTED_UNTESTED, null), Verdict.of(summary(), "bare", true, true));
        Verdict refused = Verdict.of(summary(), "bare", true, false);
        assertEquals(Verdict.Outcome.FAILED, refused.outcome());
        assertTrue(refused.problem().startsWith("ran no checks"), refused.problem());
    }

    @Test
    void aFailedCheckOrAMissingTestFails() {
        Verdict failed = Verdict.of(summary(), "web", false, false);
        assertEquals(Verdict.Outcome.FAILED, failed.outcome());
        assertTrue(failed.problem().startsWith("2 check(s) failed:"), failed.problem());
        assertEquals(new Verdict(Verdict.Outcome.FAILED, "was not tested: run the integration-test phase"),
                Verdict.of(summary(), "cache", false, false));
    }
}
