package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.Views;

/**
 * The EC2 candidate pipeline through the real AWS SDK against the EC2 test endpoint, with a real sshd per
 * instance: the happy path, and a fault injected at every API call and wait, after each of which nothing may be
 * left (no instance, key pair, security group, image or snapshot of the build).
 */
class Ec2CandidateBuildIT extends EndpointTest {

    /** The endpoint's instances are real sshds. */
    @BeforeAll
    static void needsSshd() {
        RequiredTool.sshd();
    }

    static final String REGION = "ap-southeast-2";
    static final String DISTRO_OWNER = "679593333241";
    static final AtomicInteger ACCOUNTS = new AtomicInteger();
    record Run(List<ImageResult> results, AccountState account, List<String> log) {
        ImageResult result() {
            return results.get(0);
        }
    }

    static ImageSpec image(Duration instanceTimeout, Duration imageTimeout, Duration sshTimeout) {
        SshAccess ssh = new SshAccess(io.github.amimaven.testing.sshd.LoopbackSshd.defaultUser(), 2222,
                SshAccess.AddressType.PRIVATE_IP, sshTimeout, null, null, List.of("127.0.0.0/8"), null);
        return new ImageSpec("web", "ec2", new SourceSpec(null, List.of(DISTRO_OWNER), "CentOS*", Map.of(), null),
                new LaunchOptions("t3.micro", null, List.of(), null, 20, "gp3", null, true, null), ssh,
                List.of(new ShellProvisioner("inline", "#!/bin/sh -e\necho provisioned on $(hostname)\n"
                        .getBytes(StandardCharsets.UTF_8), Map.of(), false, Set.of(0))),
                Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null, new Timeouts(instanceTimeout, imageTimeout));
    }

    static Run build(ImageSpec spec, Consumer<AccountState.Config> faults) {
        String accessKey = "AKIDCANDIDATE" + ACCOUNTS.incrementAndGet();
        AccountState account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(150)).ssh(true, 2222);
        faults.accept(account.config());
        account.seedImage(REGION, "CentOS Linux 7 x86_64 HVM EBS 2002_01", DISTRO_OWNER, Instant.parse("2020-03-09T10:00:00Z"));
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
        EndpointBuilds.Run run = EndpointBuilds.run(endpoint.uri(), REGION, spec, Pipelines::candidateBuild,
                new ProjectInfo("com.example", "images", "1.0", java.nio.file.Path.of("."), java.nio.file.Path.of("target")));
        return new Run(List.of(run.result()), account, run.log());
    }

    static List<Views.Image> ownImages(AccountState account) {
        return account.images(REGION).stream().filter(i -> !DISTRO_OWNER.equals(i.ownerId())).toList();
    }

    static List<Views.Snapshot> ownSnapshots(AccountState account) {
        return account.snapshots(REGION).stream().filter(s -> !DISTRO_OWNER.equals(s.ownerId())).toList();
    }

    /**
     * The builder powers itself off in the middle of a provisioner that would run ten minutes: the watch notices it
     * within a poll (10 s on EC2), the step fails naming EC2's state and reason, the latest console is printed and
     * saved, and nothing is left.
     */
    @Test
    void aBuilderThatStopsUnderAProvisionerIsNoticedWithEc2sReason() throws Exception {
        ImageSpec base = image(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
        ImageSpec spec = new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(),
                List.of(new ShellProvisioner("inline", "#!/bin/sh\nsleep 600\n".getBytes(StandardCharsets.UTF_8),
                        Map.of(), false, Set.of(0))), base.tags(), base.nameTemplate(), null, base.timeouts());
        java.nio.file.Path console = java.nio.file.Path.of("target/ami/web/console-builder.log");
        java.nio.file.Files.deleteIfExists(console);
        long start = System.nanoTime();
        Run run = build(spec, c -> c.guestShutdownAfter(Duration.ofSeconds(4)));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        ImageResult r = run.result();
        String failure = String.valueOf(r.failure());
        // a builder is launched to terminate on a shutdown: it is seen shutting down (or, on a loaded machine whose
        // watch polled late, already terminated), with EC2's reason
        assertTrue(failure.contains("no longer running")
                && (failure.contains("is shutting-down") || failure.contains("is terminated"))
                && failure.contains("Instance initiated shutdown"), failure + "\n" + String.join("\n", run.log()));
        assertTrue(seconds < 40, "noticed after " + seconds + " s");
        assertEquals("true", run.account().lastRequest("GetConsoleOutput").get("Latest"));
        assertTrue(java.nio.file.Files.readString(console).contains("cloud-init: instance i-"));
        assertTrue(run.log().stream().anyMatch(l -> l.contains("console of builder")), run.log().toString());
        assertEquals(List.of(), run.account().liveResources(REGION));
    }

    @Test
    void buildsACandidateThroughTheRealSdk() {
        Run run = build(image(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)), c -> { });
        ImageResult r = run.result();
        assertNull(r.failure(), () -> String.join("\n", run.log()));
        assertTrue(run.log().stream().anyMatch(l -> l.startsWith("[web] provisioned on ")), run.log().toString());
        List<Views.Image> images = ownImages(run.account());
        assertEquals(1, images.size());
        Views.Image image = images.get(0);
        assertEquals(r.imageId(), image.imageId());
        assertEquals("available", image.state());
        assertEquals("candidate", image.tags().get("ami:status"));
        assertEquals("com.example:images", image.tags().get("ami:project"));
        assertEquals("platform", image.tags().get("Team"));
        assertEquals(r.snapshotIds(), image.snapshotIds());
        assertEquals("candidate", ownSnapshots(run.account()).get(0).tags().get("ami:status"));
        Views.Instance builder = run.account().instances(REGION).get(0);
        assertEquals("terminated", builder.state());
        assertEquals("required", builder.httpTokens());
        assertEquals("terminate", builder.shutdownBehavior());
        assertEquals("b1", builder.tags().get("ami:build-id"));
        assertEquals("b1", builder.volumeTags().get("ami:build-id"));
        assertEquals(20, builder.blockDevices().get(0).volumeSize());
        assertEquals("gp3", builder.blockDevices().get(0).volumeType());
        assertEquals(List.of(), run.account().liveResources(REGION));
    }

    /**
     * Waits poll on the schedule: a first poll after 0.5 s, then gaps growing ×1.5, one waiter per wait whose last
     * poll describes the result; no existence waits, no describe after a wait. With 2 s to run, 1 s to stop, 3 s for
     * the image and 1 s to terminate that is 3 + 2 + 2 DescribeInstances and 4 DescribeImages polls.
     */
    @Test
    void waitsPollOnTheScheduleAndNoticeChangesSoon() {
        Run run = build(image(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)), c -> c
                .delay(AccountState.Transition.INSTANCE_PENDING, Duration.ofSeconds(2))
                .delay(AccountState.Transition.INSTANCE_STOPPING, Duration.ofSeconds(1))
                .delay(AccountState.Transition.IMAGE_PENDING, Duration.ofSeconds(3))
                .delay(AccountState.Transition.INSTANCE_SHUTTING_DOWN, Duration.ofSeconds(1)));
        assertNull(run.result().failure(), () -> String.join("\n", run.log()));
        Map<String, Integer> calls = run.account().requestCounts();
        // a state the endpoint changes late (a loaded machine) may cost a poll more
        assertTrue(calls.get("DescribeInstances") <= 3 + 2 + 2 + 1, calls.toString());
        assertTrue(calls.get("DescribeImages") <= 1 + 4 + 1, calls.toString());
        assertEquals(List.of(), run.account().liveResources(REGION));
        // noticed by the first poll after the change: at most half the wait late, plus slack for a loaded machine
        assertTrue(secondsLogged(run, "running after") < 2 * 1.5 + 2, run.log().toString());
        assertTrue(secondsLogged(run, "available after") < 3 * 1.5 + 2, run.log().toString());
    }

    private static double secondsLogged(Run run, String text) {
        String line = run.log().stream().filter(l -> l.contains(text)).findFirst().orElseThrow();
        return Double.parseDouble(line.substring(line.indexOf(text) + text.length()).trim().split(" ")[0]);
    }

    static Stream<Arguments> faults() {
        Duration normal = Duration.ofSeconds(30);
        List<Arguments> cases = new ArrayList<>();
        for (String action : List.of("DescribeImages", "ImportKeyPair", "CreateSecurityGroup", "AuthorizeSecurityGroupIngress",
                "RunInstances", "DescribeInstances", "StopInstances", "CreateImage")) {
            cases.add(Arguments.of(action + " fails", image(normal, normal, normal),
                    (Consumer<AccountState.Config>) c -> c.fail(action, "UnauthorizedOperation",
                            "You are not authorized to perform this operation.", 403, 1000),
                    "UnauthorizedOperation"));
        }
        cases.add(Arguments.of("image goes to failed", image(normal, normal, normal),
                (Consumer<AccountState.Config>) c -> c.imagesFail(true), "failed"));
        cases.add(Arguments.of("instance wait times out", image(Duration.ofSeconds(2), normal, normal),
                (Consumer<AccountState.Config>) c -> c.delay(AccountState.Transition.INSTANCE_PENDING, Duration.ofSeconds(6)),
                "<timeouts><instance>"));
        cases.add(Arguments.of("image wait times out", image(normal, Duration.ofSeconds(2), normal),
                (Consumer<AccountState.Config>) c -> c.delay(AccountState.Transition.IMAGE_PENDING, Duration.ofSeconds(6)),
                "<timeouts><image>"));
        cases.add(Arguments.of("SSH never answers", image(normal, normal, Duration.ofSeconds(3)),
                (Consumer<AccountState.Config>) c -> c.ssh(false, 2222), "127.10."));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aFaultAnywhereLeavesNothingBehind(String name, ImageSpec spec, Consumer<AccountState.Config> fault, String expected) {
        Run run = build(spec, fault);
        ImageResult r = run.result();
        assertTrue(r.failure() != null, name + " did not fail the build");
        assertTrue(r.failure().getMessage().contains(expected), r.failure().getMessage());
        assertEquals(List.of(), run.account().liveResources(REGION), name);
        assertEquals(List.of(), ownImages(run.account()).stream().filter(i -> !"deregistered".equals(i.state())).toList(), name);
        assertEquals(List.of(), ownSnapshots(run.account()), name);
        assertEquals(List.of(), r.leftovers(), name);
    }
}
