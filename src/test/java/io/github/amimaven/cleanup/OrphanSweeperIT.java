package io.github.amimaven.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.steps.BuildContext;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.steps.RunOptions;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.platform.ec2.Ec2Platform;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.EndpointAccount;
import io.github.amimaven.testing.ec2.Views;

/**
 * The orphan sweep against the EC2 test endpoint with the real SDK: resources left behind exactly as a build makes
 * them (same calls, same tags), by builds that died, ended, run elsewhere, still run here, or belong to another
 * project; what goes and what stays; and the next build of a project reaping a killed build's leftovers at start.
 */
class OrphanSweeperIT extends EndpointTest {

    static final String PROJECT = "com.example:images";
    static final java.util.concurrent.atomic.AtomicInteger NAMES = new java.util.concurrent.atomic.AtomicInteger();
    @TempDir
    Path registryDir;

    static ImageSpec image() {
        return new ImageSpec("web", "ec2", new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), null, List.of(),
                Map.of(), ImageNamer.DEFAULT_TEMPLATE, null, Timeouts.defaults());
    }

    /** What one build had made when it stopped: ids of its key pair, group, builder and (maybe) candidate. */
    record Made(String buildId, String keyName, String groupId, String instanceId, String imageId, List<String> snapshotIds) {
        List<String> ids() {
            List<String> ids = new ArrayList<>(List.of(keyName, groupId, instanceId));
            if (imageId != null) {
                ids.add(imageId);
            }
            return ids;
        }
    }

    /** Makes what the build {@code buildId} of {@code project} makes, with the tags it gives them, in that order. */
    static Made leave(Ec2Platform platform, String buildId, String project, Duration lifetime, boolean candidate) {
        String[] ga = project.split(":");
        BuildContext c = new BuildContext(image(), platform, new CollectingLog(), buildId,
                new ProjectInfo(ga[0], ga[1], "1.0", Path.of("."), Path.of("target"))).withResourceLifetime(lifetime);
        String source = platform.resolveSource(image().source()).id();
        String name = "ami-web-" + buildId + "-" + NAMES.incrementAndGet();
        String key = platform.importKeyPair(name, SshKeys.generate("test").publicKeyOpenSsh(), c.resourceTags("key"));
        String group = platform.createSshFirewall(name, List.of("10.0.0.0/8"), 22, Optional.empty(),
                c.resourceTags("security-group")).orElseThrow();
        String instance = platform.launch(new LaunchSpec(source, "t3.micro", key, null, List.of(group), null, null, null,
                null, null, true, null, c.resourceTags("builder")));
        platform.awaitRunning(instance, Duration.ofSeconds(30));
        if (!candidate) {
            return new Made(buildId, key, group, instance, null, List.of());
        }
        Map<String, String> tags = new LinkedHashMap<>(c.resourceTags("candidate"));
        tags.put(TaggedResource.STATUS, "candidate");
        String imageId = platform.createImage(instance, name, "test", tags);
        return new Made(buildId, key, group, instance, imageId, platform.awaitImageAvailable(imageId, Duration.ofSeconds(30)).snapshotIds());
    }

    /** A build whose JVM was killed: its record says running, its pid is gone. */
    void killedBuild(String buildId) throws Exception {
        Files.createDirectories(registryDir);
        Files.writeString(registryDir.resolve(buildId + ".json"), "{\"buildId\":\"" + buildId + "\",\"project\":\"" + PROJECT
                + "\",\"owner\":\"" + BuildRegistryTest.deadOwner() + "\",\"started\":\"2026-11-21T10:00:00Z\"}");
    }

    static Set<String> present(EndpointAccount a) {
        Set<String> ids = new HashSet<>();
        a.account().instances(EndpointAccount.REGION).stream().filter(i -> !"terminated".equals(i.state()))
                .forEach(i -> ids.add(i.instanceId()));
        a.account().keyPairs(EndpointAccount.REGION).forEach(k -> ids.add(k.keyName()));
        a.account().securityGroups(EndpointAccount.REGION).stream().filter(g -> !g.isDefault()).forEach(g -> ids.add(g.groupId()));
        a.account().images(EndpointAccount.REGION).forEach(i -> ids.add(i.imageId()));
        a.account().snapshots(EndpointAccount.REGION).forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    static Set<String> ids(List<OrphanSweeper.Outcome> outcomes) {
        return outcomes.stream().map(o -> o.resource().id()).collect(Collectors.toSet());
    }

    @Test
    void removesWhatDeadEndedAndExpiredBuildsLeftAndNothingElse() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "sweep", 4)) {
            Ec2Platform platform = a.platform();
            BuildRegistry builds = new BuildRegistry(registryDir);
            killedBuild("bkilled");
            builds.register("bended", PROJECT).close();
            builds.register("brunning", PROJECT);
            Made killed = leave(platform, "bkilled", PROJECT, Duration.ofHours(6), true);
            Made ended = leave(platform, "bended", PROJECT, Duration.ofHours(6), false);
            Made running = leave(platform, "brunning", PROJECT, Duration.ofHours(6), false);
            Made elsewhereExpired = leave(platform, "belsewhere1", PROJECT, Duration.ofHours(-1), false);
            Made elsewhereFresh = leave(platform, "belsewhere2", PROJECT, Duration.ofHours(6), false);
            Made otherProject = leave(platform, "bkilled", "com.example:other", Duration.ofHours(6), false);
            // the killed build had also finished a candidate (its output), and lost an image whose snapshot remains
            Made finished = leave(platform, "bkilled", PROJECT, Duration.ofHours(6), true);
            platform.tagImage(finished.imageId(), Map.of(TaggedResource.EXPIRES, TaggedResource.NEVER));
            Made lost = leave(platform, "bkilled", PROJECT, Duration.ofHours(6), true);
            a.client().deregisterImage(r -> r.imageId(lost.imageId()));
            Set<String> before = present(a);

            Set<String> orphans = new HashSet<>();
            orphans.addAll(killed.ids());
            orphans.addAll(ended.ids());
            orphans.addAll(elsewhereExpired.ids());
            orphans.addAll(List.of(finished.keyName(), finished.groupId(), finished.instanceId()));
            orphans.addAll(List.of(lost.keyName(), lost.groupId(), lost.instanceId()));
            orphans.addAll(lost.snapshotIds());

            CollectingLog dryLog = new CollectingLog();
            OrphanSweeper.Report dry = OrphanSweeper.sweep(List.of(platform), new OrphanSweeper.Request(PROJECT, true), builds, dryLog);
            assertEquals(orphans, ids(dry.removed()));
            assertEquals(before, present(a), "a dry run removes nothing");
            assertTrue(dryLog.text().contains("INFO would remove orphan security group " + killed.groupId()
                    + " in ec2 ap-southeast-2 (build bkilled, com.example:images): build bkilled died: its JVM (pid "), dryLog.text());
            assertTrue(dryLog.text().contains("INFO keeps instance " + running.instanceId()
                    + " in ec2 ap-southeast-2 (build brunning, com.example:images): build brunning is running (pid "), dryLog.text());

            CollectingLog log = new CollectingLog();
            OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(platform), new OrphanSweeper.Request(PROJECT, false), builds, log);
            assertEquals(List.of(), report.problems());
            assertEquals(orphans, ids(report.removed()));
            Set<String> expectedLeft = new HashSet<>(before);
            expectedLeft.removeAll(orphans);
            expectedLeft.removeAll(killed.snapshotIds()); // deleted with their image
            assertEquals(expectedLeft, present(a));
            assertTrue(present(a).containsAll(running.ids()), "a running build's resources stay, whatever their expiry");
            assertTrue(present(a).containsAll(elsewhereFresh.ids()), "another machine's build is judged by expiry");
            assertTrue(present(a).containsAll(otherProject.ids()), "another project's resources stay");
            assertTrue(present(a).contains(finished.imageId()) && present(a).containsAll(finished.snapshotIds()),
                    "a finished candidate is a build's output");
            Views.Instance terminated = a.account().instances(EndpointAccount.REGION).stream()
                    .filter(i -> i.instanceId().equals(killed.instanceId())).findFirst().orElseThrow();
            assertEquals("terminated", terminated.state());

            OrphanSweeper.Report again = OrphanSweeper.sweep(List.of(platform), new OrphanSweeper.Request(PROJECT, false), builds, log);
            assertEquals(List.of(), again.removed(), "a second sweep finds nothing more");

            OrphanSweeper.sweep(List.of(platform), new OrphanSweeper.Request(null, false), builds, log);
            assertTrue(present(a).stream().noneMatch(otherProject.ids()::contains), "all projects: the other project's too");
        }
    }

    @Test
    void aTestInstanceKeptForDebuggingIsSparedWithItsGroupUntilItsTimeIsUp() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "kept", 4)) {
            Ec2Platform platform = a.platform();
            BuildRegistry builds = new BuildRegistry(registryDir);
            builds.register("btest", PROJECT).close();
            Made test = leave(platform, "btest", PROJECT, Duration.ofHours(6), false);
            platform.keepRunning(test.instanceId());
            Views.Instance kept = a.account().instances(EndpointAccount.REGION).stream()
                    .filter(i -> i.instanceId().equals(test.instanceId())).findFirst().orElseThrow();
            java.time.Instant until = java.time.Instant.parse(kept.tags().get(TaggedResource.KEPT_UNTIL));
            assertTrue(Duration.between(java.time.Instant.now().plus(io.github.amimaven.platform.Platform.KEPT_FOR), until)
                    .abs().getSeconds() < 60, until.toString());

            CollectingLog log = new CollectingLog();
            OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(platform), new OrphanSweeper.Request(PROJECT, false), builds, log);
            assertEquals(Set.of(test.keyName()), ids(report.removed()));
            assertTrue(present(a).containsAll(List.of(test.instanceId(), test.groupId())), "the kept instance and its group stay");
            assertTrue(log.text().isEmpty() || !log.text().contains("removed orphan instance"), log.text());

            a.client().createTags(r -> r.resources(test.instanceId(), test.groupId()).tags(t -> t.key(TaggedResource.KEPT_UNTIL)
                    .value("2026-01-01T00:00:00Z")));
            OrphanSweeper.Report later = OrphanSweeper.sweep(List.of(platform), new OrphanSweeper.Request(PROJECT, false), builds, log);
            assertEquals(Set.of(test.instanceId(), test.groupId()), ids(later.removed()));
            assertEquals(List.of(), later.problems());
        }
    }

    @Test
    void theNextBuildOfTheProjectReapsAKilledBuildsLeftoversAtStartAndSaysSo() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "nextbuild", 4)) {
            killedBuild("bkilled");
            Made killed = leave(a.platform(), "bkilled", PROJECT, Duration.ofHours(6), true);
            // the image is built by user data alone, which powers its builder off; the killed build's runs on
            a.account().config().guestShutdownAfter(Duration.ofMillis(300));
            BuildRegistry builds = new BuildRegistry(registryDir);
            CollectingLog log = new CollectingLog();
            List<ImageResult> results = ImageBuilds.run(List.of(image()), Pipelines::candidateBuild, a.provider(), log,
                    "bnext", new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target")), 1,
                    new RunOptions(Duration.ofHours(6), builds, true));
            ImageResult r = results.get(0);
            assertNull(r.failure());
            for (String id : killed.ids()) {
                assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("INFO removed orphan ") && l.contains(" " + id + " in ec2")),
                        id + " not reported:\n" + log.text());
            }
            assertTrue(log.text().contains("WARN removed 4 resource(s) that earlier builds of com.example:images left behind"), log.text());
            int sweepLine = indexOf(log, "WARN removed 4 resource(s)");
            assertTrue(sweepLine < indexOf(log, "INFO [web] ==> Resolving source image"), "the sweep runs before the build");
            List<String> keep = new ArrayList<>(List.of(r.imageId()));
            keep.addAll(r.snapshotIds());
            assertEquals(List.of(), a.leftoversOnceTerminated(keep, Duration.ofSeconds(20)));
            Views.Image candidate = a.account().images(EndpointAccount.REGION).stream()
                    .filter(i -> i.imageId().equals(r.imageId())).findFirst().orElseThrow();
            assertEquals(TaggedResource.NEVER, candidate.tags().get(TaggedResource.EXPIRES), "a finished candidate never expires");
            assertEquals(BuildRegistry.State.ENDED, builds.status("bnext").state(), "the build recorded its end");
        }
    }

    static int indexOf(CollectingLog log, String prefix) {
        List<String> lines = log.lines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError(prefix + " not in\n" + log.text());
    }
}
