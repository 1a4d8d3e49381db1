package io.github.amimaven.steps;

import io.github.amimaven.pipeline.Step;
import io.github.amimaven.verify.Verdict;

/** Draws the verdict on the candidate from the test results: passed, accepted untested, failed, or not tested. */
public final class JudgeCandidate implements Step<VerdictContext> {

    private final String image;

    public JudgeCandidate(String image) {
        this.image = image;
    }

    @Override
    public String title() {
        return "Judging the tests of " + image;
    }

    @Override
    public void run(VerdictContext c) {
        c.verdict = c.testResults.map(summary -> Verdict.of(summary, c.image.name(), c.image.verifiers().isEmpty(),
                c.image.allowUntested())).orElse(Verdict.TESTS_SKIPPED);
    }
}
