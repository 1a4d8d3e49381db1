package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ec2.EndpointAccount;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.Views;

/**
 * {@code <communicator>none</communicator>} through the real SDK against the EC2 test endpoint, whose instances
 * power themselves off a set time after they run, as user data ending in a power-off makes them: the builder is
 * launched to stop on that, and captured only once it stopped by itself; one that never does fails within
 * {@code <timeouts><instance>} and leaves nothing.
 */
class Ec2CommunicatorNoneIT extends EndpointTest {

    static final String USER_DATA = "#!/bin/sh\necho configured by user data > /etc/motd\nshutdown -h now\n";
    static final ProjectInfo PROJECT = new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target"));

    static ImageSpec image(Duration instanceTimeout) {
        return new ImageSpec("userdata-only", "ec2",
                new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, USER_DATA, true, null), null, List.of(),
                Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null,
                new Timeouts(instanceTimeout, Duration.ofSeconds(30)));
    }

    static ImageResult build(EndpointAccount a, ImageSpec spec, CollectingLog log) {
        return ImageBuilds.run(List.of(spec), Pipelines::candidateBuild, a.provider(), log, "bnone", PROJECT, 1).get(0);
    }

    @Test
    void theBuilderIsCapturedOnlyOnceItsUserDataPoweredItOff() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "none", 4)) {
            a.account().config().guestShutdownAfter(Duration.ofSeconds(3));
            CollectingLog log = new CollectingLog();
            long start = System.nanoTime();
            ImageResult r = build(a, image(Duration.ofSeconds(30)), log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));

            Map<String, String> run = a.account().lastRequest("RunInstances");
            assertEquals("stop", run.get("InstanceInitiatedShutdownBehavior"), run.toString());
            assertEquals(USER_DATA, new String(Base64.getDecoder().decode(run.get("UserData")), StandardCharsets.UTF_8));
            Map<String, Integer> calls = a.account().requestCounts();
            assertEquals(null, calls.get("StopInstances"), "the builder stopped itself: " + calls);
            assertEquals(null, calls.get("ImportKeyPair"), calls.toString());
            assertEquals(null, calls.get("CreateSecurityGroup"), calls.toString());

            // it ran for the 3 s its user data took, was seen stopped soon after, and only then captured
            double stoppedAfter = secondsLogged(log, "stopped itself after");
            assertTrue(stoppedAfter >= 3 && stoppedAfter < 3 + 4, log.lines().toString());
            assertTrue(indexOf(log, "stopped itself after") < indexOf(log, "pending, waiting until available"),
                    log.lines().toString());
            assertTrue(System.nanoTime() - start >= Duration.ofSeconds(3).toNanos());

            Views.Image image = a.account().images(EndpointAccount.REGION).stream()
                    .filter(i -> i.imageId().equals(r.imageId())).findFirst().orElseThrow();
            assertEquals("available", image.state());
            assertEquals("candidate", image.tags().get("ami:status"));
            assertEquals(List.of(), a.leftoversOnceTerminated(keep(r), Duration.ofSeconds(20)));
        }
    }

    /**
     * An instance that runs and stops between two polls (here before the first one, 0.5 s after the launch) is
     * still seen stopped: a wait for running first would fail on stopping or never end on stopped.
     */
    @Test
    void aBuilderThatRunsAndStopsBetweenTwoPollsIsStillSeenStopped() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "fastnone", 4)) {
            a.account().config().allDelays(Duration.ofMillis(50)).guestShutdownAfter(Duration.ZERO);
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, image(Duration.ofSeconds(30)), log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));
            assertTrue(secondsLogged(log, "stopped itself after") < 2, log.lines().toString());
            assertEquals(null, a.account().requestCounts().get("StopInstances"));
            assertEquals(List.of(), a.leftoversOnceTerminated(keep(r), Duration.ofSeconds(20)));
        }
    }

    @Test
    void aBuilderThatNeverPowersItselfOffFailsWithinTheTimeoutNamingItAndLeavesNothing() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "nevernone", 4)) {
            CollectingLog log = new CollectingLog();
            long start = System.nanoTime();
            ImageResult r = build(a, image(Duration.ofSeconds(4)), log);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertNotNull(r.failure(), "a builder that never stops must fail the build");
            String message = r.failure().getMessage();
            assertTrue(message.startsWith("builder i-") && message.contains(" did not power itself off: timed out waiting for"
                    + " instance i-") && message.contains(" after 4 s: raise <timeouts><instance> if this is expected"), message);
            assertTrue(message.contains("<userDataCompletion><waitFor>pause</waitFor>"), message);
            assertTrue(took.compareTo(Duration.ofSeconds(4 + 6)) < 0, "failed after " + took + ", the timeout is 4 s");
            assertEquals(null, a.account().requestCounts().get("CreateImage"));
            assertEquals(1, a.account().requestCounts().get("TerminateInstances"));
            assertEquals(List.of(), a.leftoversOnceTerminated(List.of(), Duration.ofSeconds(20)));
            assertEquals(List.of(), r.leftovers());
        }
    }

    /** Ended rather than stopped (terminated by someone, a spot reclaim): the wait fails at once, saying so. */
    @Test
    void aBuilderThatEndsInsteadOfStoppingFailsAtOnceWithEc2sReason() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "endednone", 4)) {
            CollectingLog log = new CollectingLog();
            Thread terminator = new Thread(() -> {
                try {
                    String id = null;
                    while (id == null) {
                        Thread.sleep(100);
                        id = a.account().instances(EndpointAccount.REGION).stream()
                                .filter(i -> i.state().equals("running")).map(Views.Instance::instanceId)
                                .findFirst().orElse(null);
                    }
                    String instance = id;
                    a.client().terminateInstances(t -> t.instanceIds(instance));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            terminator.start();
            long start = System.nanoTime();
            ImageResult r = build(a, image(Duration.ofSeconds(60)), log);
            terminator.join(10_000);
            assertNotNull(r.failure());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(20)) < 0,
                    "did not wait out the 60 s timeout");
            String message = r.failure().getMessage();
            assertTrue(message.contains("did not power itself off") && message.contains("the instance ended instead of"
                    + " stopping") && message.contains("User initiated"), message);
            assertEquals(List.of(), a.leftoversOnceTerminated(List.of(), Duration.ofSeconds(20)));
        }
    }

    private static List<String> keep(ImageResult r) {
        List<String> keep = new java.util.ArrayList<>(List.of(r.imageId()));
        keep.addAll(r.snapshotIds());
        return keep;
    }

    private static int indexOf(CollectingLog log, String text) {
        List<String> lines = log.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in\n" + String.join("\n", lines));
    }

    private static double secondsLogged(CollectingLog log, String text) {
        String line = log.lines().get(indexOf(log, text));
        return Double.parseDouble(line.substring(line.indexOf(text) + text.length()).trim().split(" ")[0]);
    }
}
