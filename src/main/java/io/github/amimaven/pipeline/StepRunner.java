package io.github.amimaven.pipeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Runs steps in order and their cleanups in reverse (Packer's multistep). A cleanup failure is logged with what
 * it left behind and never replaces the build's own outcome. Cleanups run with the thread's interrupt cleared, so
 * that a Ctrl-C that stopped the build cannot also stop the cleanup; the interrupt is restored afterwards.
 */
public final class StepRunner {

    private StepRunner() {
    }

    public static void run(List<Step> steps, BuildContext context) throws Exception {
        Deque<Step> started = new ArrayDeque<>();
        Exception failure = null;
        context.stepAbort().attach(Thread.currentThread());
        try {
            for (Step step : steps) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("build interrupted before: " + step.title());
                }
                started.push(step);
                context.activity = "running '" + step.title() + "'";
                context.log().info("==> " + step.title());
                step.run(context);
            }
            context.markSucceeded();
        } catch (Exception e) {
            failure = e;
            context.interrupted = e instanceof InterruptedException || Thread.currentThread().isInterrupted();
            context.failedStep = started.peek() == null ? null : started.peek().title();
        } catch (Error e) {
            failure = new RuntimeException(e);
            context.failedStep = started.peek() == null ? null : started.peek().title();
        } finally {
            context.stepAbort().detach();
            // only a step that waited on a live machine can have failed because the machine died
            boolean watched = context.watched();
            context.unwatchMachine();
            Exception aborted = context.stepAbort().reason();
            if (aborted != null && failure != null) {
                // the step ended because of what the abort saw (a dead machine, a bound), not because of a Ctrl-C
                aborted.addSuppressed(failure);
                failure = aborted;
                context.interrupted = false;
                Thread.interrupted();
            }
            if (aborted == null && failure != null && !context.interrupted && watched) {
                failure = MachineWatch.explain(context, failure);
            }
            if (failure != null) {
                ConsoleDiagnosis.afterFailure(context, failure);
            }
            boolean interrupted = Thread.interrupted();
            while (!started.isEmpty()) {
                Step step = started.pop();
                context.activity = "cleaning up after '" + step.title() + "'";
                try {
                    step.cleanup(context);
                } catch (Exception e) {
                    context.log().error("cleanup of '" + step.title() + "' failed: " + e.getMessage());
                }
                Thread.interrupted();
            }
            context.activity = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
