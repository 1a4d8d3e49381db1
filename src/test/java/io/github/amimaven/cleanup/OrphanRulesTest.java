package io.github.amimaven.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.platform.TaggedResource.Kind;

class OrphanRulesTest {

    static final Instant NOW = Instant.parse("2026-11-21T14:00:00Z");

    @TempDir
    Path dir;
    BuildRegistry builds;

    @BeforeEach
    void registry() throws Exception {
        builds = BuildRegistryTest.withDeadBuild(dir, "bkilled");
        builds.register("brunning", "g:a");
        builds.register("bended", "g:a").close();
    }

    static TaggedResource resource(Kind kind, String buildId, String expires, String... moreTags) {
        Map<String, String> tags = new HashMap<>();
        tags.put(TaggedResource.BUILD_ID, buildId);
        tags.put(TaggedResource.PROJECT, "g:a");
        if (expires != null) {
            tags.put(TaggedResource.EXPIRES, expires);
        }
        for (int i = 0; i < moreTags.length; i += 2) {
            tags.put(moreTags[i], moreTags[i + 1]);
        }
        return new TaggedResource(kind, kind.name().toLowerCase() + "-1", tags, null, List.of(), null);
    }

    OrphanRules.Verdict judge(TaggedResource r) {
        return OrphanRules.judge(r, builds, NOW);
    }

    @Test
    void expiresIsCreationPlusLifetimeInUtcSeconds() {
        assertEquals("2026-11-21T20:00:00Z", OrphanRules.expiresTag(NOW.plusMillis(700), Duration.ofHours(6)));
    }

    @Test
    void aBuildKnownHereIsJudgedByItsRecordWhateverItsExpiry() {
        String future = "2026-11-21T20:00:00Z";
        String past = "2026-11-21T08:00:00Z";
        OrphanRules.Verdict running = judge(resource(Kind.INSTANCE, "brunning", past));
        assertFalse(running.orphan(), "a running build keeps its resources even past their expiry");
        assertTrue(running.reason().contains("is running (pid"), running.reason());
        OrphanRules.Verdict ended = judge(resource(Kind.KEY_PAIR, "bended", future));
        assertTrue(ended.orphan());
        assertTrue(ended.reason().startsWith("build bended ended at"), ended.reason());
        OrphanRules.Verdict killed = judge(resource(Kind.FIREWALL, "bkilled", future));
        assertTrue(killed.orphan());
        assertTrue(killed.reason().matches("build bkilled died: its JVM \\(pid \\d+\\) is gone"), killed.reason());
    }

    @Test
    void anotherMachinesBuildIsJudgedByExpiryAlone() {
        OrphanRules.Verdict notYet = judge(resource(Kind.INSTANCE, "belsewhere", "2026-11-21T14:00:01Z"));
        assertFalse(notYet.orphan());
        assertEquals("build belsewhere is not known on this machine; it expires at 2026-11-21T14:00:01Z", notYet.reason());
        OrphanRules.Verdict expired = judge(resource(Kind.INSTANCE, "belsewhere", "2026-11-21T13:59:59Z"));
        assertTrue(expired.orphan());
        assertTrue(expired.reason().startsWith("it expired at 2026-11-21T13:59:59Z"), expired.reason());
        assertFalse(judge(resource(Kind.INSTANCE, "belsewhere", null)).orphan(), "no expiry: cannot be judged");
        assertFalse(judge(resource(Kind.INSTANCE, "belsewhere", "next tuesday")).orphan());
    }

    @Test
    void onlyUnfinishedCandidatesAreOrphanImages() {
        String past = "2026-11-21T08:00:00Z";
        assertTrue(judge(resource(Kind.IMAGE, "bkilled", past, TaggedResource.STATUS, "candidate")).orphan());
        assertTrue(judge(resource(Kind.SNAPSHOT, "bended", past, TaggedResource.STATUS, "candidate")).orphan());
        OrphanRules.Verdict finished = judge(resource(Kind.IMAGE, "bended", TaggedResource.NEVER, TaggedResource.STATUS, "candidate"));
        assertFalse(finished.orphan(), "a finished candidate is the build's output");
        assertEquals("a finished candidate, the output of build bended", finished.reason());
        for (String status : List.of("verified", "released", "failed")) {
            assertFalse(judge(resource(Kind.IMAGE, "bkilled", past, TaggedResource.STATUS, status)).orphan(), status);
        }
        assertFalse(judge(resource(Kind.IMAGE, "bkilled", past)).orphan(), "an image without a status is not a candidate");
    }

    @Test
    void aMachineKeptForDebuggingStaysUntilItsTimeIsUp() {
        OrphanRules.Verdict kept = judge(resource(Kind.INSTANCE, "bended", "2026-11-21T08:00:00Z",
                TaggedResource.KEPT_UNTIL, "2026-11-22T13:00:00Z"));
        assertEquals(new OrphanRules.Verdict(false, "kept for debugging (keepOnFailure) until 2026-11-22T13:00:00Z"), kept);
        assertFalse(judge(resource(Kind.FIREWALL, "bkilled", null, TaggedResource.KEPT_UNTIL, "2026-11-22T13:00:00Z")).orphan());
        OrphanRules.Verdict over = judge(resource(Kind.INSTANCE, "bended", "2026-11-21T08:00:00Z",
                TaggedResource.KEPT_UNTIL, "2026-11-21T13:00:00Z"));
        assertTrue(over.orphan(), "then the usual rules: its build ended");
    }

    @Test
    void aPlatformThatKnowsTheMakerIsGoneDecides() {
        TaggedResource vm = new TaggedResource(Kind.INSTANCE, "/tmp/ami-local-1/vm-1", Map.of(), null, null,
                "its JVM (pid 7) is gone");
        assertEquals(new OrphanRules.Verdict(true, "its JVM (pid 7) is gone"), judge(vm));
    }
}
