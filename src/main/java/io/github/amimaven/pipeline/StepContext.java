package io.github.amimaven.pipeline;

import io.github.amimaven.log.BuildLog;

/** What {@link StepRunner} needs of a pipeline's state; the pipeline keeps the rest. */
public interface StepContext {

    BuildLog log();

    /** Ends the step under way from another thread (see {@link StepAbort}). */
    StepAbort stepAbort();

    /**
     * What runs now ("running 'Launching builder'", "cleaning up after ..."), null when nothing does. Only a
     * pipeline that holds machines reports it (on a second Ctrl-C); the others leave it.
     */
    default void activity(String activity) {
    }

    /** Every step ran. */
    default void stepsSucceeded() {
    }

    /**
     * The step titled {@code step} failed, or was stopped by a Ctrl-C when {@code interrupted}. A pipeline whose
     * caller records its failures itself leaves it.
     */
    default void stepFailed(String step, boolean interrupted) {
    }

    /**
     * The steps are over and their cleanups about to run: the moment to stop watching and to explain a failure.
     *
     * @param failure null when every step ran
     * @param aborted the failure is the reason a {@link StepAbort} gave
     * @return the failure to report
     */
    default Exception stepsEnded(Exception failure, boolean aborted) {
        return failure;
    }
}
