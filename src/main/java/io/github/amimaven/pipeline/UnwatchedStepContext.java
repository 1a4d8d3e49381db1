package io.github.amimaven.pipeline;

import io.github.amimaven.log.BuildLog;

/**
 * The state of a pipeline that no other thread watches (a deployment, a verification): no machine of its own can die
 * under a step, so its {@link StepAbort} is never fired.
 */
public abstract class UnwatchedStepContext implements StepContext {

    private final BuildLog log;
    private final StepAbort abort;

    protected UnwatchedStepContext(BuildLog log) {
        this.log = log;
        this.abort = new StepAbort(log, () -> { });
    }

    @Override
    public final BuildLog log() {
        return log;
    }

    @Override
    public final StepAbort stepAbort() {
        return abort;
    }
}
