package io.github.amimaven.pipeline;

import java.util.List;

import io.github.amimaven.log.BuildLog;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ends the step under way from another thread, for a reason the step itself cannot see: the machine died under it, or
 * a provisioner or verifier outlived its bound. The pipeline's thread is interrupted (SSH connects and command
 * waits, local tools and sleeps all end on an interrupt) and the SSH session is closed (a transfer blocked on a dead
 * connection ignores interrupts). {@link StepRunner} then reports the reason instead of an interrupt.
 */
public final class StepAbort {

    private final BuildLog log;
    private final Runnable onEveryAbort;
    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile Thread worker;
    private volatile Exception reason;

    /** @param onEveryAbort runs on each abort, after the hooks (e.g. closes the connection the step may block on) */
    public StepAbort(BuildLog log, Runnable onEveryAbort) {
        this.log = log;
        this.onEveryAbort = onEveryAbort;
    }

    /** The thread that runs the steps: the one an abort interrupts. */
    public void attach(Thread thread) {
        worker = thread;
    }

    public void detach() {
        worker = null;
    }

    /** Runs when an abort fires, on the aborting thread (e.g. kills a process that holds the step). */
    public Runnable onAbort(Runnable hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Ends the step under way with {@code why}; only the first abort counts. */
    public void fire(Exception why) {
        synchronized (this) {
            if (reason != null || worker == null) {
                return;
            }
            reason = why;
        }
        log.error(why.getMessage());
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                // the interrupt below still ends the step
            }
        }
        onEveryAbort.run();
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Why the steps were aborted, or null. */
    public Exception reason() {
        return reason;
    }
}
