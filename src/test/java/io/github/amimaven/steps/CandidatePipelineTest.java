package io.github.amimaven.steps;

import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.pipeline.StepRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.provision.ProvisionException;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;
import io.github.amimaven.testing.ScriptedSsh;

/** The candidate pipeline against an in-memory platform: order of steps, and what is left after each failure. */
class CandidatePipelineTest {

    static final ProjectInfo PROJECT = new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target"));

    static ImageSpec image() {
        SshAccess ssh = new SshAccess("centos", 22, SshAccess.AddressType.AUTO, Timeouts.DEFAULT_SSH, null, null,
                List.of("10.0.0.0/8"), null);
        return new ImageSpec("web", "fake", new SourceSpec(null, List.of("self"), "base*", Map.of(), null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), ssh,
                List.of(new ShellProvisioner("inline", "#!/bin/sh\ntrue\n".getBytes(StandardCharsets.UTF_8), Map.of(),
                        false, Set.of(0))),
                Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null, Timeouts.defaults());
    }

    @Test
    void successRunsStepsInOrderAndLeavesOnlyTheCandidate() throws Exception {
        FakePlatform platform = new FakePlatform();
        ScriptedSsh ssh = new ScriptedSsh();
        BuildContext c = new BuildContext(image(), platform, CollectingLog.quiet(), "b1", PROJECT).withSshConnector(ssh.connector());
        StepRunner.run(Pipelines.candidateBuild(image()), c);
        assertEquals(List.of("resolveSource", "importKeyPair", "createSshFirewall", "launch", "awaitRunning", "stop",
                "awaitStopped", "createImage", "awaitImageAvailable", "tagImage",
                // cleanup, in reverse order of creation
                "terminate", "awaitTerminated", "deleteFirewall", "deleteKeyPair"), platform.calls);
        assertEquals(List.of("ami-3"), platform.live());
        assertTrue(ssh.closed);
        assertTrue(c.imageName.startsWith("web-20"), c.imageName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolveSource", "importKeyPair", "createSshFirewall", "launch", "awaitRunning", "connect",
            "provision", "stop", "awaitStopped", "createImage", "awaitImageAvailable"})
    void aFailureAtAnyStepLeavesNothingBehind(String failAt) {
        FakePlatform platform = new FakePlatform();
        platform.failAt = failAt;
        ScriptedSsh ssh = new ScriptedSsh(command -> ScriptedSsh.Reply.exit(failAt.equals("provision") ? 3 : 0));
        ssh.refuse = failAt.equals("connect");
        BuildContext c = new BuildContext(image(), platform, CollectingLog.quiet(), "b1", PROJECT).withSshConnector(ssh.connector());
        Exception e = assertThrows(Exception.class, () -> StepRunner.run(Pipelines.candidateBuild(image()), c));
        if (failAt.equals("provision")) {
            assertTrue(e instanceof ProvisionException, e.toString());
            assertTrue(e.getMessage().contains("exited with 3"), e.getMessage());
        }
        assertEquals(List.of(), platform.live(), "left behind after a failure in " + failAt);
        assertFalse(c.succeeded());
        assertTrue(c.leftovers().isEmpty());
    }

    @Test
    void ctrlCDuringAWaitCleansUpAndEndsTheBuild() throws Exception {
        FakePlatform platform = new FakePlatform();
        platform.blockAt = "awaitImageAvailable";
        ScriptedSsh ssh = new ScriptedSsh();
        BuildContext c = new BuildContext(image(), platform, CollectingLog.quiet(), "b1", PROJECT).withSshConnector(ssh.connector());
        AtomicReference<Exception> outcome = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                StepRunner.run(Pipelines.candidateBuild(image()), c);
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        build.start();
        assertTrue(platform.blocked.await(10, TimeUnit.SECONDS));
        assertEquals(Set.of("ami-web-b1", "sg-1", "i-2", "ami-3"), Set.copyOf(platform.live()));
        build.interrupt();
        build.join(10_000);
        assertFalse(build.isAlive());
        assertTrue(outcome.get() != null && outcome.get().getMessage().contains("interrupted"), String.valueOf(outcome.get()));
        assertEquals(List.of(), platform.live());
    }

    @Test
    void aFailingCleanupIsReportedAndDoesNotHideTheFailure() {
        FakePlatform platform = new FakePlatform() {
            @Override
            public synchronized void deleteFirewall(String firewallId) {
                throw new io.github.amimaven.platform.PlatformException("DependencyViolation", false);
            }
        };
        platform.failAt = "stop";
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = new BuildContext(image(), platform, log, "b1", PROJECT).withSshConnector(new ScriptedSsh().connector());
        Exception e = assertThrows(Exception.class, () -> StepRunner.run(Pipelines.candidateBuild(image()), c));
        assertEquals("injected failure in stop", e.getMessage());
        assertEquals(List.of("security group sg-1: DependencyViolation"), c.leftovers());
        assertTrue(log.messages().contains("ERROR LEFT BEHIND: security group sg-1: DependencyViolation (remove it by hand)"), log.messages().toString());
        assertEquals(List.of("sg-1"), platform.live());
    }

    static ImageSpec withoutSsh(UserDataCompletion completion) {
        ImageSpec spec = image();
        return new ImageSpec(spec.name(), spec.platform(), spec.source(), spec.launch().withUserData("#!/bin/sh\npoweroff\n"),
                null, List.of(), spec.tags(), spec.nameTemplate(), null, spec.timeouts(), List.of(), false, null, completion);
    }

    /** Nothing is deleted after the builder of an image without SSH: on EC2 the build does not wait for its end. */
    @Test
    void withoutAFirewallTheBuildWaitsForTheBuildersEndOnlyWhereThePlatformNeedsIt() throws Exception {
        ImageSpec none = withoutSsh(null);
        FakePlatform ec2Like = new FakePlatform();
        ec2Like.terminationCompletesOnItsOwn = true;
        StepRunner.run(Pipelines.candidateBuild(none), new BuildContext(none, ec2Like, CollectingLog.quiet(), "b1", PROJECT));
        assertEquals(List.of("resolveSource", "launch", "awaitGuestShutdown", "createImage", "awaitImageAvailable",
                "tagImage", "terminate"), ec2Like.calls);

        FakePlatform localLike = new FakePlatform();
        StepRunner.run(Pipelines.candidateBuild(none), new BuildContext(none, localLike, CollectingLog.quiet(), "b1", PROJECT));
        assertEquals(List.of("resolveSource", "launch", "awaitGuestShutdown", "createImage", "awaitImageAvailable",
                "tagImage", "terminate", "awaitTerminated"), localLike.calls);

        // with a firewall to delete after it, EC2 waits too
        FakePlatform withFirewall = new FakePlatform();
        withFirewall.terminationCompletesOnItsOwn = true;
        StepRunner.run(Pipelines.candidateBuild(image()), new BuildContext(image(), withFirewall, CollectingLog.quiet(), "b1",
                PROJECT).withSshConnector(new ScriptedSsh().connector()));
        assertTrue(withFirewall.calls.containsAll(List.of("terminate", "awaitTerminated", "deleteFirewall")),
                withFirewall.calls.toString());
    }

    @Test
    void imagesBuiltWithoutSshSkipKeyFirewallAndProvisioning() {
        assertEquals(List.of("Resolving source image", "Launching builder",
                "Waiting for the user data to power the builder off", "Creating candidate image"),
                Pipelines.candidateBuild(withoutSsh(null)).stream().map(Step::title).toList());
        assertEquals(List.of("Resolving source image", "Launching builder", "Giving the user data 2 min",
                "Stopping builder", "Creating candidate image"),
                Pipelines.candidateBuild(withoutSsh(UserDataCompletion.pauseFor(java.time.Duration.ofMinutes(2))))
                        .stream().map(Step::title).toList());
    }

    /**
     * The builder of an image without SSH is launched to stop on its own power-off, nobody presses its button, and
     * it is captured only after it stopped itself; builders with SSH and test instances end on a guest shutdown.
     */
    @Test
    void aBuilderWithoutSshIsCapturedOnlyOnceItsUserDataPoweredItOff() throws Exception {
        FakePlatform platform = new FakePlatform();
        CollectingLog log = CollectingLog.quiet();
        ImageSpec none = withoutSsh(null);
        StepRunner.run(Pipelines.candidateBuild(none), new BuildContext(none, platform, log, "b1", PROJECT));
        assertFalse(platform.calls.contains("stop"), platform.calls.toString());
        assertFalse(platform.calls.contains("awaitRunning"), "a wait for running could miss a builder that stopped "
                + "between two looks: " + platform.calls);
        assertTrue(platform.calls.indexOf("awaitGuestShutdown") < platform.calls.indexOf("createImage"), platform.calls.toString());
        assertTrue(platform.launched.get(0).stopOnGuestShutdown());
        assertEquals("#!/bin/sh\npoweroff\n", platform.launched.get(0).userData());
        assertTrue(log.messages().contains("waiting until builder i-1 has run its user data and powered itself off (timeout 15 min,"
                + " <timeouts><instance>)"), log.messages().toString());
        assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("builder i-1 stopped itself after ")), log.messages().toString());

        FakePlatform withSsh = new FakePlatform();
        StepRunner.run(Pipelines.candidateBuild(image()), new BuildContext(image(), withSsh, CollectingLog.quiet(), "b1", PROJECT)
                .withSshConnector(new ScriptedSsh().connector()));
        ScriptedSsh tester = new ScriptedSsh();
        StepRunner.run(Pipelines.candidateTest(image()), new BuildContext(image(), withSsh, CollectingLog.quiet(), "b1", PROJECT)
                .withSshConnector(tester.connector()));
        assertEquals(List.of(false, false), withSsh.launched.stream().map(l -> l.stopOnGuestShutdown()).toList());
    }

    @Test
    void aBuilderThatNeverPowersItselfOffFailsNamingTheTimeoutAndLeavesNothing() {
        FakePlatform platform = new FakePlatform() {
            @Override
            public void awaitGuestShutdown(String machineId, java.time.Duration timeout) {
                super.awaitGuestShutdown(machineId, timeout);
                throw io.github.amimaven.platform.PlatformException.timedOut("timed out waiting for instance " + machineId
                        + " to stop by itself", timeout, Timeouts.INSTANCE, null);
            }
        };
        ImageSpec none = withoutSsh(null);
        BuildContext c = new BuildContext(none, platform, CollectingLog.quiet(), "b1", PROJECT);
        Exception e = assertThrows(Exception.class, () -> StepRunner.run(Pipelines.candidateBuild(none), c));
        assertEquals("builder i-1 did not power itself off: timed out waiting for instance i-1 to stop by itself after"
                + " 15 min: raise <timeouts><instance> if this is expected. The user data must end by powering the machine"
                + " off (shutdown -h now; cloud-config power_state: {mode: poweroff}); for user data that cannot, set"
                + " <userDataCompletion><waitFor>pause</waitFor> and a <pause>", e.getMessage());
        assertEquals("Waiting for the user data to power the builder off", c.failedStep);
        assertFalse(platform.calls.contains("createImage"));
        assertEquals(List.of(), platform.live());
        assertTrue(c.leftovers().isEmpty());

        // a failure that is not the user data's keeps its own message
        FakePlatform failing = new FakePlatform();
        failing.failAt = "awaitGuestShutdown";
        BuildContext f = new BuildContext(none, failing, CollectingLog.quiet(), "b1", PROJECT);
        Exception other = assertThrows(Exception.class, () -> StepRunner.run(Pipelines.candidateBuild(none), f));
        assertEquals("builder i-1 did not power itself off: injected failure in awaitGuestShutdown", other.getMessage());
        assertEquals(List.of(), failing.live());
    }

    @Test
    void withAPauseTheBuilderRunsThatLongAndIsThenStopped() throws Exception {
        FakePlatform platform = new FakePlatform();
        ImageSpec paused = withoutSsh(UserDataCompletion.pauseFor(java.time.Duration.ofMillis(400)));
        long start = System.nanoTime();
        StepRunner.run(Pipelines.candidateBuild(paused), new BuildContext(paused, platform, CollectingLog.quiet(), "b1", PROJECT));
        assertTrue(System.nanoTime() - start >= 400_000_000L, "the pause was waited");
        assertEquals(List.of("resolveSource", "launch", "awaitRunning", "stop", "awaitStopped", "createImage",
                "awaitImageAvailable", "tagImage", "terminate", "awaitTerminated"), platform.calls);
        assertTrue(platform.launched.get(0).stopOnGuestShutdown(), "user data that powers off anyway leaves it stopped");
    }

    @Test
    void ctrlCDuringThePauseCleansUpAtOnce() throws Exception {
        FakePlatform platform = new FakePlatform();
        ImageSpec paused = withoutSsh(UserDataCompletion.pauseFor(java.time.Duration.ofMinutes(10)));
        BuildContext c = new BuildContext(paused, platform, CollectingLog.quiet(), "b1", PROJECT);
        AtomicReference<Exception> outcome = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                StepRunner.run(Pipelines.candidateBuild(paused), c);
            } catch (Exception e) {
                outcome.set(e);
            }
        });
        build.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!platform.calls.contains("awaitRunning") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals(List.of("i-1"), platform.live());
        build.interrupt();
        build.join(10_000);
        assertFalse(build.isAlive());
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        assertEquals(List.of(), platform.live());
        assertFalse(platform.calls.contains("createImage"));
    }
}
