package io.github.amimaven.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs steps in order and their cleanups in reverse (Packer's multistep). A cleanup failure is logged with what
 * it left behind and never replaces the pipeline's own outcome. Cleanups run with the thread's interrupt cleared, so
 * that a Ctrl-C that stopped the pipeline cannot also stop the cleanup; the interrupt is restored afterwards.
 */
public final class StepRunner {

    private StepRunner() {
    }

    public static <C extends StepContext> void run(List<? extends Step<C>> steps, C context) throws Exception {
        Deque<Step<C>> started = new ArrayDeque<>();
        Exception failure = null;
        boolean interrupted = false;
        StepAbort abort = context.stepAbort();
        abort.attach(Thread.currentThread());
        try {
            for (Step<C> step : steps) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted before: " + step.title());
                }
                started.push(step);
                context.activity("running '" + step.title() + "'");
                context.log().info("==> " + step.title());
                step.run(context);
            }
            context.stepsSucceeded();
        } catch (Exception e) {
            failure = e;
            interrupted = e instanceof InterruptedException || Thread.currentThread().isInterrupted();
        } catch (Error e) {
            failure = new RuntimeException(e);
        } finally {
            abort.detach();
            Exception aborted = abort.reason();
            if (aborted != null && failure != null) {
                // the step ended because of what the abort saw (a dead machine, a bound), not because of a Ctrl-C
                aborted.addSuppressed(failure);
                failure = aborted;
                interrupted = false;
                Thread.interrupted();
            }
            if (failure != null) {
                context.stepFailed(started.peek() == null ? null : started.peek().title(), interrupted);
            }
            failure = context.stepsEnded(failure, aborted != null);
            boolean restoreInterrupt = Thread.interrupted();
            while (!started.isEmpty()) {
                Step<C> step = started.pop();
                context.activity("cleaning up after '" + step.title() + "'");
                try {
                    step.cleanup(context);
                } catch (Exception e) {
                    context.log().error("cleanup of '" + step.title() + "' failed: " + e.getMessage());
                }
                Thread.interrupted();
            }
            context.activity(null);
            if (restoreInterrupt) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
