package io.github.amimaven.steps;

import java.time.Duration;
import java.util.Optional;

import io.github.amimaven.platform.Platform;

/**
 * Watches the machine while the pipeline waits on it (SSH, cloud-init, reboots, provisioners, verifiers), so that no
 * wait outlasts a machine that died: the platform is asked whether the machine still runs every
 * {@link Platform#watchInterval()}, and a machine that stopped, ended or faulted aborts the step under way within one
 * poll, naming the cause. Steps that stop the machine on purpose end the watch first.
 */
final class MachineWatch implements AutoCloseable {

    private final Thread thread;
    private volatile boolean closed;

    private MachineWatch(BuildContext c, String role) {
        Platform platform = c.platform();
        String machineId = c.machineId;
        Duration interval = platform.watchInterval();
        thread = new Thread(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                Optional<String> cause;
                try {
                    cause = platform.whyNotRunning(machineId);
                } catch (RuntimeException e) {
                    // a failed look (a throttled describe) says nothing about the machine
                    continue;
                }
                if (cause.isPresent() && !closed) {
                    c.abort(new MachineDiedException(role + " " + machineId + " is no longer running: "
                            + cause.get()));
                    return;
                }
            }
        }, "ami-watch-" + machineId);
        thread.setDaemon(true);
    }

    /** Starts watching the context's machine. */
    static MachineWatch start(BuildContext c, String role) {
        MachineWatch w = new MachineWatch(c, role);
        w.thread.start();
        return w;
    }

    /**
     * A lost connection or a failed wait may be the machine's death seen first: then the death, asked for once, is the
     * failure (the lost connection its consequence), rather than waiting for the next poll to say so.
     */
    static Exception explain(BuildContext c, Exception failure) {
        if (c.machineId == null || c.machineKept || failure instanceof MachineDiedException
                || !ConsoleDiagnosis.aboutTheMachine(failure)) {
            return failure;
        }
        try {
            Optional<String> cause = c.platform().whyNotRunning(c.machineId);
            if (cause.isEmpty()) {
                return failure;
            }
            MachineDiedException died = new MachineDiedException((c.machineRole == null ? "machine" : c.machineRole)
                    + " " + c.machineId + " is no longer running: " + cause.get());
            died.addSuppressed(failure);
            c.log().error(died.getMessage());
            return died;
        } catch (RuntimeException e) {
            return failure;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
