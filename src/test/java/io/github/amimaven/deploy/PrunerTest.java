package io.github.amimaven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.Retention;
import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.InMemoryReleasePlatform;

/** {@code ami:prune}'s policy against the in-memory release platform, and what the goal reports of it. */
class PrunerTest {

    static final String HOME = "ap-southeast-2";
    static final String PROJECT = "com.example:images";

    final InMemoryReleasePlatform platform = new InMemoryReleasePlatform(HOME);
    final CollectingLog log = CollectingLog.quiet();

    static ReleaseSpec retaining(Retention retention, String... regions) {
        return new ReleaseSpec(Promotion.TAG, List.of(regions).stream().map(r -> new RegionTarget(r, null, false)).toList(),
                Sharing.NONE, List.of(), List.of(), List.of(), null, false, retention);
    }

    /** Released images of web, {@code ids.get(0)} the newest, a day apart. */
    List<String> released(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(platform.seedImage(HOME, "web-" + i, "available", Instant.now().minus(Duration.ofDays(i)),
                    Pruner.releaseTags(PROJECT, "web")));
        }
        return ids;
    }

    @Test
    void onlyImagesWithARetentionArePruned() {
        Retention keepTwo = new Retention(2, null);
        List<Pruner.ImagePrune> prunes = Pruner.ImagePrune.of(List.of("web", "db", "cache"),
                Map.of("web", retaining(keepTwo, "us-east-1"), "db", retaining(null)), PROJECT);
        assertEquals(List.of(new Pruner.ImagePrune("web", PROJECT, keepTwo, List.of("us-east-1"))), prunes);
    }

    @Test
    void keepsTheNewestAndTheYoungAndWhatIsInUseAndDeletesTheRest() {
        List<String> ids = released(6);
        platform.markInUse(ids.get(4));
        String other = platform.seedImage(HOME, "db-1", "available", Instant.EPOCH, Pruner.releaseTags(PROJECT, "db"));
        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(new Pruner.ImagePrune("web", PROJECT,
                new Retention(1, Duration.ofHours(36)), List.of())), false);
        assertEquals(List.of("one of the newest 1", "younger than 36h", "expired", "expired",
                "in use by an instance or a launch template", "expired"),
                outcome.decisions().stream().map(Pruner.Decision::reason).toList());
        assertEquals(List.of(ids.get(2), ids.get(3), ids.get(5)),
                outcome.deleted().stream().map(d -> d.released().id()).toList());
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(4), other),
                platform.images(HOME).stream().map(i -> i.id).toList());
        assertEquals("kept 3 released image(s), deleted 3", outcome.summary(false));
    }

    @Test
    void aDryRunDeletesNothingAndSaysWhatItWould() {
        released(3);
        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(new Pruner.ImagePrune("web", PROJECT,
                new Retention(1, null), List.of())), true);
        assertEquals(3, platform.images(HOME).size());
        assertEquals("kept 1 released image(s), would delete 2 (ami.dryRun)", outcome.summary(true));
    }

    @Test
    void aDeleteThatFailsIsAProblemAndTheOthersGoOn() {
        List<String> ids = released(4);
        platform.failOnce("delete " + HOME);
        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(new Pruner.ImagePrune("web", PROJECT,
                new Retention(1, null), List.of())), false);
        assertEquals(List.of("deleting " + ids.get(1) + " in " + HOME + ": injected failure: delete " + HOME),
                outcome.problems().stream().map(ImageRelease.Problem::describe).toList());
        assertEquals(List.of(ids.get(2), ids.get(3)), outcome.deleted().stream().map(d -> d.released().id()).toList());
        assertEquals("kept 1 released image(s), deleted 2", outcome.summary(false));
    }
}
