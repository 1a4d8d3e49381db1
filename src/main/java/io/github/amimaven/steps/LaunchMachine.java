package io.github.amimaven.steps;

import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.NoCapacityException;
import io.github.amimaven.platform.PlatformException;

/**
 * Starts the builder from the source image and waits until it runs; cleanup terminates it, and waits for the end
 * when something depends on it (the temporary firewall is deleted next) or the platform needs the wait (local VMs).
 *
 * <p>The builder of an image without SSH is launched to stop, not end, when its user data powers it off. When the
 * build waits for that power-off, it does not wait here for the builder to run: {@link AwaitUserData} waits from
 * launch to stopped in one wait, which a builder that runs and stops between two looks cannot slip through.</p>
 */
final class LaunchMachine implements Step<BuildContext> {

    private final String role;
    private final boolean stopOnGuestShutdown;
    private final boolean awaitRunning;

    LaunchMachine(String role) {
        this(role, false, true);
    }

    private LaunchMachine(String role, boolean stopOnGuestShutdown, boolean awaitRunning) {
        this.role = role;
        this.stopOnGuestShutdown = stopOnGuestShutdown;
        this.awaitRunning = awaitRunning;
    }

    /** The builder of an image without SSH, whose end of user data the build waits for as {@code completion} says. */
    static LaunchMachine userDataBuilder(UserDataCompletion completion) {
        return new LaunchMachine("builder", true, !completion.waitsForShutdown());
    }

    @Override
    public String title() {
        return "Launching " + role;
    }

    @Override
    public void run(BuildContext c) {
        LaunchOptions o = c.image().launch();
        List<String> groups = new ArrayList<>(c.securityGroupIds());
        if (c.firewallId != null) {
            groups.add(c.firewallId);
        }
        Map<String, String> tags = c.temporaryResourceTags(role);
        LaunchSpec spec = new LaunchSpec(imageToLaunch(c), o.instanceType(), c.keyName, c.publicKey, groups,
                c.subnetId(), o.iamInstanceProfile(), o.rootVolumeSize(), o.rootVolumeType(), o.userData(),
                o.requireImdsV2(), o.associatePublicIp(), tags, stopOnGuestShutdown, false, null, o.rootVolumeIops(),
                o.rootVolumeThroughput(), o.rootVolumeEncrypted(), o.rootVolumeKmsKeyId(), o.launchVolumes());
        c.machineRole = role;
        Attempt launchedAs = launchFirstWithRoom(c, spec, o);
        String launched = role + " " + c.machineId + " launched" + (launchedAs.describe().isEmpty() ? ""
                : " (" + launchedAs.describe() + ")");
        if (!awaitRunning) {
            c.log().info(launched + ", to stop when its user data powers it off");
            return;
        }
        c.log().info(launched + ", waiting until it runs");
        long start = System.nanoTime();
        c.machine = c.platform().awaitRunning(c.machineId, c.image().timeouts().instance());
        c.log().info(role + " " + c.machineId + " running after " + Waits.elapsed(start));
    }

    /** One way to launch: a machine type (null: the platform's own) on spot capacity or on demand. */
    private record Attempt(String machineType, boolean spot) {
        String describe() {
            String market = spot ? "spot" : "on demand";
            return machineType == null ? (spot ? market : "") : machineType + ", " + market;
        }
    }

    /**
     * Every type of {@code <instanceTypes>} in turn on spot capacity when {@code <spot>} asks for it, then, unless
     * {@code <spot>} forbids it, every type on demand: the first launch the platform has room for wins. A refusal
     * for want of room is logged and the next way tried; any other failure ends the launch. A decision over types
     * and markets, not a retry: the platform client has retried what it retries by then.
     */
    private Attempt launchFirstWithRoom(BuildContext c, LaunchSpec spec, LaunchOptions o) {
        List<Attempt> attempts = new ArrayList<>();
        if (o.spot() != null) {
            o.machineTypesInTurn().forEach(type -> attempts.add(new Attempt(type, true)));
        }
        if (o.spot() == null || o.spot().fallbackToOnDemand()) {
            o.machineTypesInTurn().forEach(type -> attempts.add(new Attempt(type, false)));
        }
        String maxPrice = o.spot() == null ? null : o.spot().maxPrice();
        List<String> refusals = new ArrayList<>();
        NoCapacityException last = null;
        for (int i = 0; i < attempts.size(); i++) {
            Attempt attempt = attempts.get(i);
            try {
                c.machineId = c.platform().launch(spec.as(attempt.machineType(), attempt.spot(), maxPrice));
                return attempt;
            } catch (NoCapacityException e) {
                last = e;
                refusals.add(attempt.describe() + ": " + e.answer());
                if (i + 1 < attempts.size()) {
                    Attempt next = attempts.get(i + 1);
                    c.log().warn(role + ": no room for " + attempt.describe() + " (" + e.answer() + "); trying "
                            + next.describe() + (attempt.spot() && !next.spot()
                                    ? ", since <spot><fallbackToOnDemand> is true" : ""));
                }
            }
        }
        throw new PlatformException(role + " not launched, " + c.platform().id() + " had no room for it ("
                + String.join("; ", refusals) + "): list more <instanceTypes>"
                + (o.spot() == null ? "" : ", raise <spot><maxPrice>" + (o.spot().fallbackToOnDemand() ? ""
                        : ", set <spot><fallbackToOnDemand>true</fallbackToOnDemand>"))
                + ", or build in another <subnetId> (zone) or region", last);
    }

    private static String imageToLaunch(BuildContext c) {
        return c.source.id();
    }

    @Override
    public void cleanup(BuildContext c) {
        if (c.machineId == null || c.machineKept) {
            return;
        }
        try {
            c.platform().terminate(c.machineId);
        } catch (RuntimeException e) {
            c.leftOver(role + " " + c.machineId + ": " + e.getMessage());
            return;
        }
        if (c.firewallId == null && c.platform().terminationCompletesOnItsOwn()) {
            // nothing to delete after it: the build need not wait the minute EC2 takes to shut it down
            c.log().info("terminating " + role + " " + c.machineId);
            return;
        }
        try {
            c.platform().awaitTerminated(c.machineId, c.image().timeouts().instance());
            c.released(c.machineId);
            c.log().info("terminated " + role + " " + c.machineId);
        } catch (RuntimeException e) {
            // the platform accepted the termination; only its confirmation is missing
            c.log().warn(role + " " + c.machineId + " is terminating, but its end could not be confirmed: " + e.getMessage());
        }
    }
}
