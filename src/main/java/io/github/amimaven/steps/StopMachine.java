package io.github.amimaven.steps;

import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;

/**
 * Stops the builder so that its disk is consistent when captured. A spot builder is left running: a one-time spot
 * instance cannot be stopped, and the platform captures a running machine consistently itself (EC2: CreateImage
 * reboots it).
 */
final class StopMachine implements Step<BuildContext> {

    @Override
    public String title() {
        return "Stopping builder";
    }

    @Override
    public void run(BuildContext c) {
        c.unwatchMachine();
        if (c.session != null) {
            c.session.close();
            c.session = null;
        }
        if (c.image().launch().spot() != null) {
            // on spot or, having fallen back, on demand: either is captured consistently while it runs
            c.log().info("builder " + c.machineId + " not stopped, since with <spot> it may be a spot instance, which"
                    + " cannot stop: it is captured running, with a reboot");
            return;
        }
        long start = System.nanoTime();
        c.platform().stop(c.machineId);
        c.platform().awaitStopped(c.machineId, c.image().timeouts().instance());
        c.log().info("builder " + c.machineId + " stopped after " + Waits.elapsed(start));
    }
}
