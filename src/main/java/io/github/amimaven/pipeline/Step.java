package io.github.amimaven.pipeline;

/**
 * One step of a pipeline. {@link #cleanup} runs for every step whose {@link #run} started, the failing one
 * included, in reverse order, on success, failure and interrupt; a step undoes only what it recorded in the
 * context, so a cleanup after a half-done run removes exactly what exists.
 *
 * @param <C> what the steps of one pipeline share
 */
public interface Step<C extends StepContext> {

    /** A headline for the log, e.g. "Launching builder". */
    String title();

    void run(C context) throws Exception;

    default void cleanup(C context) throws Exception {
    }
}
