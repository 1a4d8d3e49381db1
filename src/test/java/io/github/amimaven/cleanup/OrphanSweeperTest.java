package io.github.amimaven.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.platform.TaggedResource.Kind;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;

/** The sweep's order, dry run and error handling, over a platform that lists what it is given. */
class OrphanSweeperTest {

    @TempDir
    Path dir;
    BuildRegistry builds;

    @BeforeEach
    void registry() throws Exception {
        builds = BuildRegistryTest.withDeadBuild(dir, "bdead");
        builds.register("blive", "g:a");
    }

    /** A resource of project g:a tagged by {@code buildId}, with {@code moreTags} as name, value pairs. */
    private static TaggedResource resource(Kind kind, String id, String buildId, String... moreTags) {
        Map<String, String> tags = new HashMap<>(Map.of(TaggedResource.BUILD_ID, buildId, TaggedResource.PROJECT, "g:a",
                TaggedResource.EXPIRES, "2099-01-01T00:00:00Z"));
        for (int i = 0; i < moreTags.length; i += 2) {
            tags.put(moreTags[i], moreTags[i + 1]);
        }
        List<String> snapshots = kind == Kind.IMAGE ? List.of("snap-of-" + id) : List.of();
        return new TaggedResource(kind, id, tags, null, snapshots, null);
    }

    /** A platform that lists the leftovers of a dead and a live build, and records what the sweep calls. */
    FakePlatform leftoversOfADeadAndALiveBuild() {
        FakePlatform platform = new FakePlatform("test", "here");
        // listed in an order the sweep must not follow
        platform.tagged.addAll(List.of(
                resource(Kind.SNAPSHOT, "snap-alone", "bdead", TaggedResource.STATUS, "candidate"),
                resource(Kind.SNAPSHOT, "snap-of-ami-dead", "bdead", TaggedResource.STATUS, "candidate"),
                resource(Kind.IMAGE, "ami-dead", "bdead", TaggedResource.STATUS, "candidate"),
                resource(Kind.FIREWALL, "sg-dead", "bdead"),
                resource(Kind.KEY_PAIR, "key-dead", "bdead"),
                resource(Kind.INSTANCE, "i-dead1", "bdead"),
                resource(Kind.INSTANCE, "i-live", "blive"),
                resource(Kind.INSTANCE, "i-dead2", "bdead"),
                resource(Kind.IMAGE, "ami-finished", "bdead", TaggedResource.STATUS, "candidate", TaggedResource.EXPIRES,
                        "never")));
        return platform;
    }

    @Test
    void removesInDependencyOrderAndKeepsWhatIsInUse() {
        FakePlatform p = leftoversOfADeadAndALiveBuild();
        CollectingLog log = new CollectingLog();
        OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request("g:a", false), builds, log);
        assertEquals(List.of("findTagged g:a", "terminate i-dead1", "terminate i-dead2", "awaitTerminated i-dead1",
                "awaitTerminated i-dead2", "deleteKeyPair key-dead", "deleteFirewall sg-dead", "deleteImage ami-dead",
                "deleteSnapshot snap-alone"), p.callsWithArguments);
        assertEquals(List.of("i-live", "ami-finished"), report.kept().stream().map(o -> o.resource().id()).toList());
        assertEquals(6, report.removed().size());
        assertTrue(report.clean());
        assertTrue(log.lines().stream().anyMatch(l -> l.matches(
                "INFO removed orphan instance i-dead1 in test here \\(build bdead, g:a\\): build bdead died: its JVM \\(pid \\d+\\) is gone")),
                log.lines().toString());
    }

    @Test
    void aDryRunListsAndRemovesNothing() {
        FakePlatform p = leftoversOfADeadAndALiveBuild();
        CollectingLog log = new CollectingLog();
        OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request(null, true), builds, log);
        assertEquals(List.of("findTagged null"), p.callsWithArguments);
        assertEquals(6, report.removed().size());
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("INFO would remove orphan key pair key-dead in test here")),
                log.lines().toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("INFO keeps instance i-live in test here (build blive, g:a): build blive is running")),
                log.lines().toString());
    }

    @Test
    void aResourceThatCannotBeRemovedIsReportedAndTheSweepGoesOn() {
        FakePlatform p = leftoversOfADeadAndALiveBuild();
        p.failAt = "deleteKeyPair key-dead";
        FakePlatform unreachable = new FakePlatform("test", "here");
        unreachable.failAt = "findTagged";
        OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(unreachable, p), new OrphanSweeper.Request("g:a", false),
                builds, new CollectingLog());
        assertEquals(List.of("cannot list the resources in test here: injected failure in findTagged",
                "could not remove key pair key-dead in test here: injected failure in deleteKeyPair key-dead"),
                report.problems());
        assertTrue(p.callsWithArguments.contains("deleteFirewall sg-dead"));
        assertTrue(p.callsWithArguments.contains("deleteImage ami-dead"));
    }
}
