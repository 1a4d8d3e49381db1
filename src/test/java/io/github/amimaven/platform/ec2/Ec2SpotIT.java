package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.SpotOptions;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ec2.EndpointAccount;
import io.github.amimaven.testing.ec2.EndpointTest;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;

/**
 * {@code <spot>} and {@code <instanceTypes>} through the real SDK against the EC2 test endpoint, which refuses
 * capacity for the instance types and markets a test names: what RunInstances received, attempt by attempt, and that
 * a launch nobody had room for leaves nothing behind.
 */
class Ec2SpotIT extends EndpointTest {

    private static final ProjectInfo PROJECT = new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target"));
    private static final SourceSpec SOURCE = new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null);
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));
    /** Few attempts per call: EC2 answers InsufficientInstanceCapacity with a 500, which the SDK retries. */
    private static final int MAX_ATTEMPTS = 2;

    /** An image built from user data alone, captured after a pause: no SSH, so no sshd is needed. */
    private static ImageSpec userDataImage(String instanceType, List<String> instanceTypes, SpotOptions spot) {
        return new ImageSpec("spot", "ec2", SOURCE, new LaunchOptions(instanceType, null, List.of(), null, null, null,
                "#!/bin/sh\necho configured\n", true, null, instanceTypes, spot, null, null, false, null, null, null, null, null, null), null, List.of(), Map.of("Team", "platform"),
                ImageNamer.DEFAULT_TEMPLATE, null, TIMEOUTS, List.of(), false, null,
                UserDataCompletion.pauseFor(Duration.ofSeconds(1)));
    }

    private static ImageResult build(EndpointAccount a, ImageSpec spec, CollectingLog log) {
        return ImageBuilds.run(List.of(spec), Pipelines::candidateBuild, a.provider(), log, "bspot", PROJECT, 1).get(0);
    }

    @Test
    void aSpotBuilderIsLaunchedOneTimeWithTheMaximumPriceAndCapturedWithoutAStop() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "spot", MAX_ATTEMPTS)) {
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, userDataImage("t3.micro", List.of(), new SpotOptions("0.05", false)), log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));

            List<Map<String, String>> launches = a.account().requests("RunInstances");
            assertEquals(1, launches.size(), launches.toString());
            Map<String, String> run = launches.get(0);
            assertEquals("t3.micro", run.get("InstanceType"));
            assertEquals("spot", run.get("InstanceMarketOptions.MarketType"), run.toString());
            assertEquals("0.05", run.get("InstanceMarketOptions.SpotOptions.MaxPrice"), run.toString());
            assertEquals("one-time", run.get("InstanceMarketOptions.SpotOptions.SpotInstanceType"), run.toString());
            assertEquals("terminate", run.get("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior"), run.toString());
            assertEquals("terminate", run.get("InstanceInitiatedShutdownBehavior"), run.toString());

            // a one-time spot instance cannot be stopped: it is captured running, which makes EC2 reboot it
            assertNull(a.account().requestCounts().get("StopInstances"), a.account().requestCounts().toString());
            assertEquals(1, a.account().requestCount("CreateImage"));
            String builder = a.account().lastRequest("CreateImage").get("InstanceId");
            assertEquals(InstanceLifecycleType.SPOT, a.client().describeInstances(d -> d.instanceIds(builder))
                    .reservations().get(0).instances().get(0).instanceLifecycle());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("launched (t3.micro, spot)")), log.lines().toString());
            assertEquals(List.of(), a.leftoversOnceTerminated(keep(r), Duration.ofSeconds(20)));
        }
    }

    @Test
    void withoutSpotCapacityTheBuilderIsLaunchedOnDemandSayingSo() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "spotfallback", MAX_ATTEMPTS)) {
            a.account().config().noCapacity("t3.micro", true);
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, userDataImage("t3.micro", List.of(), new SpotOptions(null, true)), log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));

            List<Map<String, String>> launches = a.account().requests("RunInstances");
            assertEquals(MAX_ATTEMPTS + 1, launches.size(), launches.toString());
            launches.subList(0, MAX_ATTEMPTS).forEach(run -> {
                assertEquals("spot", run.get("InstanceMarketOptions.MarketType"), run.toString());
                assertNull(run.get("InstanceMarketOptions.SpotOptions.MaxPrice"), "no <maxPrice>: up to the on-demand price");
            });
            Map<String, String> onDemand = launches.get(MAX_ATTEMPTS);
            assertNull(onDemand.get("InstanceMarketOptions.MarketType"), onDemand.toString());
            assertEquals("t3.micro", onDemand.get("InstanceType"));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("builder: no room for t3.micro, spot"
                    + " (InsufficientInstanceCapacity: We currently do not have sufficient t3.micro capacity")
                    && l.contains("trying t3.micro, on demand, since <spot><fallbackToOnDemand> is true")),
                    log.lines().toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("launched (t3.micro, on demand)")), log.lines().toString());
            assertEquals(List.of(), a.leftoversOnceTerminated(keep(r), Duration.ofSeconds(20)));
        }
    }

    @Test
    void instanceTypesAreTriedInTurnWhileEc2HasNoRoomForThemOrDoesNotOfferThem() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "types", MAX_ATTEMPTS)) {
            a.account().config().unsupported("c7i.large").noCapacity("c6i.large", false);
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, userDataImage(null, List.of("c7i.large", "c6i.large", "m6i.large"), null), log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));

            // Unsupported is a client error, not retried; InsufficientInstanceCapacity is retried by the SDK
            assertEquals(typesOf(a), List.of("c7i.large", "c6i.large", "c6i.large", "m6i.large"));
            assertTrue(a.account().requests("RunInstances").stream()
                    .noneMatch(run -> run.containsKey("InstanceMarketOptions.MarketType")));
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("no room for c7i.large, on demand (Unsupported:")
                    && l.contains("trying c6i.large, on demand")), log.lines().toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("no room for c6i.large, on demand"
                    + " (InsufficientInstanceCapacity:") && l.contains("trying m6i.large, on demand")), log.lines().toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("launched (m6i.large, on demand)")), log.lines().toString());
            assertEquals(List.of(), a.leftoversOnceTerminated(keep(r), Duration.ofSeconds(20)));
        }
    }

    @Test
    void whenNoTypeHasRoomOnAnyMarketTheBuildFailsListingEachAndLeavesNothing() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "noroom", MAX_ATTEMPTS)) {
            a.account().config().noCapacity("c7i.large", true).noCapacity("c7i.large", false)
                    .unsupported("c6i.large");
            SshAccess ssh = new SshAccess("centos", 2222, SshAccess.AddressType.PRIVATE_IP, Duration.ofSeconds(10), null,
                    null, List.of("127.0.0.0/8"), null);
            ImageSpec image = new ImageSpec("noroom", "ec2", SOURCE, new LaunchOptions(null, null, List.of(), null, null,
                    null, null, true, null, List.of("c7i.large", "c6i.large"), new SpotOptions("0.04", true), null, null, false,
                    null, null, null, null, null, null), ssh,
                    List.of(), Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null, TIMEOUTS);
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, image, log);

            assertNotNull(r.failure(), "no instance type had room");
            String message = r.failure().getMessage();
            assertTrue(message.contains("builder not launched, ec2 had no room for it (c7i.large, spot:"
                    + " InsufficientInstanceCapacity: We currently do not have sufficient c7i.large capacity"), message);
            assertTrue(message.contains("; c6i.large, spot: Unsupported:"), message);
            assertTrue(message.contains("; c7i.large, on demand: InsufficientInstanceCapacity:"), message);
            assertTrue(message.contains("; c6i.large, on demand: Unsupported: Your requested instance type (c6i.large)"
                    + " is not supported"), message);
            assertTrue(message.contains("): list more <instanceTypes>, raise <spot><maxPrice>, or build in another"
                    + " <subnetId> (zone) or region"), message);
            assertEquals(List.of("c7i.large spot", "c6i.large spot", "c7i.large on-demand", "c6i.large on-demand"),
                    attemptsOf(a));
            // the key pair and the security group made for the builder are gone again, and no instance was made
            assertEquals(1, a.account().requestCount("ImportKeyPair") + a.account().requestCount("CreateKeyPair"));
            assertEquals(1, a.account().requestCount("CreateSecurityGroup"));
            assertEquals(List.of(), a.leftovers(List.of()));
            assertEquals(List.of(), a.account().instances(EndpointAccount.REGION));
            assertEquals(List.of(), r.leftovers());
        }
    }

    /** The test instance is launched as the builder is; here it gets no further, since no sshd answers it. */
    @Test
    void theTestInstanceIsASpotInstanceToo() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "spottest", MAX_ATTEMPTS)) {
            SshAccess ssh = new SshAccess("centos", 2222, SshAccess.AddressType.PRIVATE_IP, Duration.ofSeconds(5), null,
                    null, List.of("127.0.0.0/8"), null);
            ImageSpec image = new ImageSpec("spottest", "ec2", SOURCE, new LaunchOptions("t3.micro", null, List.of(), null,
                    null, null, null, true, null, List.of(), new SpotOptions("0.02", false), null, null, false, null, null,
                    null, null, null, null), ssh, List.of(),
                    Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null, TIMEOUTS);
            CollectingLog log = new CollectingLog();
            ImageResult r = ImageBuilds.run(List.of(image), Pipelines::candidateTest, a.provider(), log, "tspot", PROJECT, 1)
                    .get(0);

            assertNotNull(r.failure(), "no sshd answers the test instance");
            Map<String, String> run = a.account().lastRequest("RunInstances");
            assertEquals("spot", run.get("InstanceMarketOptions.MarketType"), run.toString());
            assertEquals("0.02", run.get("InstanceMarketOptions.SpotOptions.MaxPrice"), run.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.contains("test instance i-") && l.contains("launched (t3.micro,"
                    + " spot)")), log.lines().toString());
            assertEquals(List.of(), a.leftoversOnceTerminated(List.of(), Duration.ofSeconds(20)));
        }
    }

    /** The instance type of each RunInstances request, in order. */
    private static List<String> typesOf(EndpointAccount a) {
        return a.account().requests("RunInstances").stream().map(run -> run.get("InstanceType")).toList();
    }

    /** Each way a launch was tried, in order, with the SDK's retries of one call folded into one. */
    private static List<String> attemptsOf(EndpointAccount a) {
        List<String> ways = new ArrayList<>();
        String previous = null;
        for (Map<String, String> run : a.account().requests("RunInstances")) {
            String way = run.get("InstanceType") + " " + run.getOrDefault("InstanceMarketOptions.MarketType", "on-demand");
            if (!way.equals(previous)) {
                ways.add(way);
            }
            previous = way;
        }
        return ways;
    }

    private static List<String> keep(ImageResult r) {
        List<String> keep = new ArrayList<>(List.of(r.imageId()));
        keep.addAll(r.snapshotIds());
        return keep;
    }
}
