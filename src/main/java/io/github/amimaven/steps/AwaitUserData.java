package io.github.amimaven.steps;

import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;
import io.github.amimaven.platform.PlatformException;

/**
 * The builder of an image without SSH is captured only once its user data has done its work, the one sign of which
 * a build that never logs in gets: the machine powering itself off at the end of its user data (it was launched to
 * stop, not end, on that); or, for user data that cannot do that, a pause the user chose (then {@link StopMachine}
 * stops it). Capturing earlier would race the user data that is the whole point of such an image.
 */
final class AwaitUserData implements Step<BuildContext> {

    private final UserDataCompletion completion;

    AwaitUserData(UserDataCompletion completion) {
        this.completion = completion;
    }

    @Override
    public String title() {
        return completion.waitsForShutdown() ? "Waiting for the user data to power the builder off"
                : "Giving the user data " + Timeouts.describe(completion.pause());
    }

    @Override
    public void run(BuildContext c) throws InterruptedException {
        long start = System.nanoTime();
        if (!completion.waitsForShutdown()) {
            c.log().info("waiting " + Timeouts.describe(completion.pause()) + " (<userDataCompletion><pause>) for the user"
                    + " data of builder " + c.machineId + ", then stopping it");
            Thread.sleep(completion.pause().toMillis());
            return;
        }
        c.log().info("waiting until builder " + c.machineId + " has run its user data and powered itself off (timeout "
                + Timeouts.describe(c.image().timeouts().instance()) + ", " + Timeouts.INSTANCE + ")");
        try {
            c.platform().awaitGuestShutdown(c.machineId, c.image().timeouts().instance());
        } catch (PlatformException e) {
            String hint = !e.isTimeout() ? "" : ". The user data must end by powering the machine off (shutdown -h now;"
                    + " cloud-config power_state: {mode: poweroff}); for user data that cannot, set"
                    + " <userDataCompletion><waitFor>pause</waitFor> and a <pause>";
            throw new PlatformException("builder " + c.machineId + " did not power itself off: " + e.getMessage() + hint, e);
        }
        c.log().info("builder " + c.machineId + " stopped itself after " + Waits.elapsed(start));
    }
}
