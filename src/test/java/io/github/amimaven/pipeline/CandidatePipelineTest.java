package io.github.amimaven.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.SourceSpec;
import io.github.amimaven.provision.ProvisionException;
import io.github.amimaven.provision.ShellProvisioner;

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

    static final class ListLog implements BuildLog {
        final List<String> lines = new ArrayList<>();
        @Override public synchronized void debug(String m) { }
        @Override public synchronized void info(String m) { lines.add(m); }
        @Override public synchronized void warn(String m) { lines.add("WARN " + m); }
        @Override public synchronized void error(String m) { lines.add("ERROR " + m); }
    }

    @Test
    void successRunsStepsInOrderAndLeavesOnlyTheCandidate() throws Exception {
        FakePlatform platform = new FakePlatform();
        FakeSsh ssh = new FakeSsh();
        BuildContext c = new BuildContext(image(), platform, new ListLog(), "b1", PROJECT).withSshConnector(ssh.connector());
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
        FakeSsh ssh = new FakeSsh();
        ssh.refuse = failAt.equals("connect");
        ssh.exitCode = failAt.equals("provision") ? 3 : 0;
        BuildContext c = new BuildContext(image(), platform, new ListLog(), "b1", PROJECT).withSshConnector(ssh.connector());
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
        FakeSsh ssh = new FakeSsh();
        BuildContext c = new BuildContext(image(), platform, new ListLog(), "b1", PROJECT).withSshConnector(ssh.connector());
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
        ListLog log = new ListLog();
        BuildContext c = new BuildContext(image(), platform, log, "b1", PROJECT).withSshConnector(new FakeSsh().connector());
        Exception e = assertThrows(Exception.class, () -> StepRunner.run(Pipelines.candidateBuild(image()), c));
        assertEquals("injected failure in stop", e.getMessage());
        assertEquals(List.of("security group sg-1: DependencyViolation"), c.leftovers());
        assertTrue(log.lines.contains("ERROR LEFT BEHIND: security group sg-1: DependencyViolation (remove it by hand)"), log.lines.toString());
        assertEquals(List.of("sg-1"), platform.live());
    }

    /** Nothing is deleted after the builder of an image without SSH: on EC2 the build does not wait for its end. */
    @Test
    void withoutAFirewallTheBuildWaitsForTheBuildersEndOnlyWhereThePlatformNeedsIt() throws Exception {
        ImageSpec spec = image();
        ImageSpec none = new ImageSpec(spec.name(), spec.platform(), spec.source(), spec.launch(), null, List.of(),
                spec.tags(), spec.nameTemplate(), null, spec.timeouts());
        FakePlatform ec2Like = new FakePlatform() {
            @Override
            public boolean terminationCompletesOnItsOwn() {
                return true;
            }
        };
        StepRunner.run(Pipelines.candidateBuild(none), new BuildContext(none, ec2Like, new ListLog(), "b1", PROJECT));
        assertEquals(List.of("resolveSource", "launch", "awaitRunning", "stop", "awaitStopped", "createImage",
                "awaitImageAvailable", "tagImage", "terminate"), ec2Like.calls);

        FakePlatform localLike = new FakePlatform();
        StepRunner.run(Pipelines.candidateBuild(none), new BuildContext(none, localLike, new ListLog(), "b1", PROJECT));
        assertEquals(List.of("resolveSource", "launch", "awaitRunning", "stop", "awaitStopped", "createImage",
                "awaitImageAvailable", "tagImage", "terminate", "awaitTerminated"), localLike.calls);

        // with a firewall to delete after it, EC2 waits too
        FakePlatform withFirewall = new FakePlatform() {
            @Override
            public boolean terminationCompletesOnItsOwn() {
                return true;
            }
        };
        StepRunner.run(Pipelines.candidateBuild(image()), new BuildContext(image(), withFirewall, new ListLog(), "b1",
                PROJECT).withSshConnector(new FakeSsh().connector()));
        assertTrue(withFirewall.calls.containsAll(List.of("terminate", "awaitTerminated", "deleteFirewall")),
                withFirewall.calls.toString());
    }

    @Test
    void imagesBuiltWithoutSshSkipKeyFirewallAndProvisioning() {
        ImageSpec spec = image();
        ImageSpec none = new ImageSpec(spec.name(), spec.platform(), spec.source(), spec.launch(), null, List.of(),
                spec.tags(), spec.nameTemplate(), null, spec.timeouts());
        assertEquals(List.of("Resolving source image", "Launching builder", "Stopping builder", "Creating candidate image"),
                Pipelines.candidateBuild(none).stream().map(Step::title).toList());
    }
}
