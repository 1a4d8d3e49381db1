package io.github.amimaven.steps;

import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.amimaven.platform.LaunchSpec;

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
                o.requireImdsV2(), o.associatePublicIp(), tags, stopOnGuestShutdown, o.rootVolumeIops(),
                o.rootVolumeThroughput(), o.rootVolumeEncrypted(), o.rootVolumeKmsKeyId(), o.launchVolumes());
        c.machineRole = role;
        c.machineId = c.platform().launch(spec);
        String launched = role + " " + c.machineId + " launched" + (o.instanceType() == null ? "" : " (" + o.instanceType() + ")");
        if (!awaitRunning) {
            c.log().info(launched + ", to stop when its user data powers it off");
            return;
        }
        c.log().info(launched + ", waiting until it runs");
        long start = System.nanoTime();
        c.machine = c.platform().awaitRunning(c.machineId, c.image().timeouts().instance());
        c.log().info(role + " " + c.machineId + " running after " + Waits.elapsed(start));
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
