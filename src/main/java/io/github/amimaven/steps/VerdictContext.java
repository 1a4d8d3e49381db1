package io.github.amimaven.steps;

import java.util.Optional;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.pipeline.UnwatchedStepContext;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.Verdict;

/** One candidate's verification as its steps share it: the test results to judge, and the verdict. */
public final class VerdictContext extends UnwatchedStepContext {

    final ImageSpec image;
    final String candidateId;
    final Platform platform;
    /** What {@code integration-test} recorded; empty when it skipped the tests. */
    final Optional<TestSummary> testResults;
    /** Set by {@link JudgeCandidate}. */
    Verdict verdict;

    public VerdictContext(ImageSpec image, String candidateId, Platform platform, Optional<TestSummary> testResults,
            BuildLog log) {
        super(log);
        this.image = image;
        this.candidateId = candidateId;
        this.platform = platform;
        this.testResults = testResults;
    }

    public Verdict verdict() {
        return verdict;
    }
}
