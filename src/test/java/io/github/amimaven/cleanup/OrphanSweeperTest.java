package io.github.amimaven.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.platform.TaggedResource.Kind;
import io.github.amimaven.testing.CollectingLog;

/** The sweep's order, dry run and error handling, over a platform that lists what it is given. */
class OrphanSweeperTest {

    @TempDir
    Path dir;
    BuildRegistry builds;

    @BeforeEach
    void registry() throws Exception {
        builds = new BuildRegistry(dir);
        builds.register("blive", "g:a");
        Files.writeString(dir.resolve("bdead.json"), "{\"buildId\":\"bdead\",\"owner\":\"" + BuildRegistryTest.deadOwner() + "\"}");
    }

    /** Lists {@code resources} and records removals; a removal of {@code failOn} fails. */
    static class ListingPlatform implements Platform {
        final List<TaggedResource> resources = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        String failOn;

        ListingPlatform add(Kind kind, String id, String buildId, String... moreTags) {
            Map<String, String> tags = new HashMap<>(Map.of(TaggedResource.BUILD_ID, buildId, TaggedResource.PROJECT, "g:a",
                    TaggedResource.EXPIRES, "2099-01-01T00:00:00Z"));
            for (int i = 0; i < moreTags.length; i += 2) {
                tags.put(moreTags[i], moreTags[i + 1]);
            }
            List<String> snapshots = kind == Kind.IMAGE ? List.of("snap-of-" + id) : List.of();
            resources.add(new TaggedResource(kind, id, tags, null, snapshots, null));
            return this;
        }

        @Override public String id() { return "test"; }
        @Override public String location() { return "here"; }
        @Override public List<TaggedResource> findTagged(String project) {
            calls.add("find " + project);
            return List.copyOf(resources);
        }
        @Override public void remove(TaggedResource r) {
            if (r.id().equals(failOn)) {
                throw new PlatformException("injected failure removing " + r.id(), false);
            }
            if (r.kind() == Kind.SNAPSHOT) {
                calls.add("deleteSnapshot " + r.id());
            } else {
                Platform.super.remove(r);
            }
        }
        @Override public void terminate(String id) { calls.add("terminate " + id); }
        @Override public void awaitTerminated(String id, Duration t) { calls.add("awaitTerminated " + id); }
        @Override public void deleteKeyPair(String name) { calls.add("deleteKeyPair " + name); }
        @Override public void deleteFirewall(String id) { calls.add("deleteFirewall " + id); }
        @Override public void deleteImage(String id) { calls.add("deleteImage " + id); }
        @Override public SourceImage resolveSource(SourceSpec s) { throw new UnsupportedOperationException(); }
        @Override public String importKeyPair(String n, String k, Map<String, String> t) { throw new UnsupportedOperationException(); }
        @Override public Optional<String> createSshFirewall(String n, List<String> c, int p, Optional<String> s,
                Map<String, String> t) { throw new UnsupportedOperationException(); }
        @Override public String launch(LaunchSpec s) { throw new UnsupportedOperationException(); }
        @Override public Machine awaitRunning(String id, Duration t) { throw new UnsupportedOperationException(); }
        @Override public void stop(String id) { throw new UnsupportedOperationException(); }
        @Override public void awaitStopped(String id, Duration t) { throw new UnsupportedOperationException(); }
        @Override public String createImage(String m, String n, String d, Map<String, String> t) { throw new UnsupportedOperationException(); }
        @Override public ImageInfo awaitImageAvailable(String id, Duration t) { throw new UnsupportedOperationException(); }
        @Override public void tagImage(String id, Map<String, String> t) { throw new UnsupportedOperationException(); }
    }

    ListingPlatform leftoversOfADeadAndALiveBuild() {
        // listed in an order the sweep must not follow
        return new ListingPlatform()
                .add(Kind.SNAPSHOT, "snap-alone", "bdead", TaggedResource.STATUS, "candidate")
                .add(Kind.SNAPSHOT, "snap-of-ami-dead", "bdead", TaggedResource.STATUS, "candidate")
                .add(Kind.IMAGE, "ami-dead", "bdead", TaggedResource.STATUS, "candidate")
                .add(Kind.FIREWALL, "sg-dead", "bdead")
                .add(Kind.KEY_PAIR, "key-dead", "bdead")
                .add(Kind.INSTANCE, "i-dead1", "bdead")
                .add(Kind.INSTANCE, "i-live", "blive")
                .add(Kind.INSTANCE, "i-dead2", "bdead")
                .add(Kind.IMAGE, "ami-finished", "bdead", TaggedResource.STATUS, "candidate", TaggedResource.EXPIRES, "never");
    }

    @Test
    void removesInDependencyOrderAndKeepsWhatIsInUse() {
        ListingPlatform p = leftoversOfADeadAndALiveBuild();
        CollectingLog log = new CollectingLog();
        OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request("g:a", false), builds, log);
        assertEquals(List.of("find g:a", "terminate i-dead1", "terminate i-dead2", "awaitTerminated i-dead1",
                "awaitTerminated i-dead2", "deleteKeyPair key-dead", "deleteFirewall sg-dead", "deleteImage ami-dead",
                "deleteSnapshot snap-alone"), p.calls);
        assertEquals(List.of("i-live", "ami-finished"), report.kept().stream().map(o -> o.resource().id()).toList());
        assertEquals(6, report.removed().size());
        assertTrue(report.clean());
        assertTrue(log.lines().stream().anyMatch(l -> l.matches(
                "INFO removed orphan instance i-dead1 in test here \\(build bdead, g:a\\): build bdead died: its JVM \\(pid \\d+\\) is gone")),
                log.lines().toString());
    }

    @Test
    void aDryRunListsAndRemovesNothing() {
        ListingPlatform p = leftoversOfADeadAndALiveBuild();
        CollectingLog log = new CollectingLog();
        OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request(null, true), builds, log);
        assertEquals(List.of("find null"), p.calls);
        assertEquals(6, report.removed().size());
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("INFO would remove orphan key pair key-dead in test here")),
                log.lines().toString());
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("INFO keeps instance i-live in test here (build blive, g:a): build blive is running")),
                log.lines().toString());
    }

    @Test
    void aResourceThatCannotBeRemovedIsReportedAndTheSweepGoesOn() {
        ListingPlatform p = leftoversOfADeadAndALiveBuild();
        p.failOn = "key-dead";
        ListingPlatform unreachable = new ListingPlatform() {
            @Override public List<TaggedResource> findTagged(String project) {
                throw new PlatformException("EC2 DescribeInstances in here failed: UnauthorizedOperation", true);
            }
        };
        OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(unreachable, p), new OrphanSweeper.Request("g:a", false),
                builds, new CollectingLog());
        assertEquals(List.of("cannot list the resources in test here: EC2 DescribeInstances in here failed: UnauthorizedOperation",
                "could not remove key pair key-dead in test here: injected failure removing key-dead"), report.problems());
        assertTrue(p.calls.contains("deleteFirewall sg-dead"));
        assertTrue(p.calls.contains("deleteImage ami-dead"));
    }
}
