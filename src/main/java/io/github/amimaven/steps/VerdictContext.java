package io.github.amimaven.steps;

import java.util.Optional;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.pipeline.StepAbort;
import io.github.amimaven.pipeline.StepContext;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.Verdict;

/** One candidate's verification as its steps share it: the test results to judge, and the verdict. */
public final class VerdictContext implements StepContext {

    final ImageSpec image;
    final String candidateId;
    final Platform platform;
    /** What {@code integration-test} recorded; empty when it skipped the tests. */
    final Optional<TestSummary> testResults;
    private final BuildLog log;
    private final StepAbort abort;
    /** Set by {@link JudgeCandidate}. */
    Verdict verdict;

    public VerdictContext(ImageSpec image, String candidateId, Platform platform, Optional<TestSummary> testResults,
            BuildLog log) {
        this.image = image;
        this.candidateId = candidateId;
        this.platform = platform;
        this.testResults = testResults;
        this.log = log;
        // nothing watches a verification from another thread: an abort is never fired
        this.abort = new StepAbort(log, () -> { });
    }

    public Verdict verdict() {
        return verdict;
    }

    @Override
    public BuildLog log() {
        return log;
    }

    @Override
    public StepAbort stepAbort() {
        return abort;
    }
}
