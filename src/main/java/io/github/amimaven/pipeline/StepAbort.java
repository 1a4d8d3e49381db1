package io.github.amimaven.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ends the step under way from another thread, for a reason the step itself cannot see: the machine died under it, or
 * a provisioner or verifier outlived its bound. The pipeline's thread is interrupted (SSH connects and command
 * waits, local tools and sleeps all end on an interrupt) and the SSH session is closed (a transfer blocked on a dead
 * connection ignores interrupts). {@link StepRunner} then reports the reason instead of an interrupt.
 */
final class StepAbort {

    private final BuildContext context;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile Thread worker;
    private volatile Exception reason;

    StepAbort(BuildContext context) {
        this.context = context;
    }

    /** The thread that runs the steps: the one an abort interrupts. */
    void attach(Thread thread) {
        worker = thread;
    }

    void detach() {
        worker = null;
    }

    /** Runs when an abort fires, on the aborting thread (e.g. kills a process that holds the step). */
    Runnable onAbort(Runnable hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Ends the step under way with {@code why}; only the first abort counts. */
    void fire(Exception why) {
        synchronized (this) {
            if (reason != null || worker == null) {
                return;
            }
            reason = why;
        }
        context.log().error(why.getMessage());
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                // the interrupt below still ends the step
            }
        }
        if (context.session != null) {
            context.session.close();
        }
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Why the steps were aborted, or null. */
    Exception reason() {
        return reason;
    }
}
