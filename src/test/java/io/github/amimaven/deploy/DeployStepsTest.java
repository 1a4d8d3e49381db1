package io.github.amimaven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.DeployRequest.Candidate;
import io.github.amimaven.deploy.DeployRequest.ImageDeployment;
import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.pipeline.StepRunner;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.InMemoryReleasePlatform;
import io.github.amimaven.testing.InMemoryReleasePlatform.Image;

/** Each deploy step on its own, against the in-memory release platform. */
class DeployStepsTest {

    static final String HOME = "ap-southeast-2";
    static final String EAST = "us-east-1";
    static final String WEST = "us-west-2";
    static final String OTHER_ACCOUNT = "444455556666";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String CANDIDATE_NAME = "candidate-web-20260101-000000";
    static final String RELEASE_NAME = "web-20260101-000000";

    final InMemoryReleasePlatform platform = new InMemoryReleasePlatform(HOME);
    final CollectingLog log = CollectingLog.quiet();
    final ExecutorService copyPool = Executors.newCachedThreadPool();

    @AfterEach
    void stopCopies() {
        copyPool.shutdownNow();
    }

    String candidate(String name, String status) {
        return platform.seedImage(HOME, name, Map.of("ami:status", status, "ami:image", "web", "Name", name,
                "Team", "platform", "aws:cloudformation:stack-name", "builder", "ami:role", "candidate"));
    }

    DeployContext context(String candidateId, ReleaseSpec spec, boolean force) {
        return new DeployContext(new ImageDeployment("web", new Candidate(candidateId, CANDIDATE_NAME, "manifest.json"),
                spec, Duration.ofSeconds(5)), platform, copyPool, force, log);
    }

    /** A context whose candidate is promoted in place already. */
    DeployContext promoted(ReleaseSpec spec) throws Exception {
        DeployContext c = context(candidate(RELEASE_NAME, "verified"), spec, false);
        new PromoteCandidate().run(c);
        return c;
    }

    /** The next run of the same deployment, promoted (again) too. */
    DeployContext rerun(DeployContext earlier) throws Exception {
        DeployContext c = context(earlier.deployment.candidate().id(), earlier.spec, false);
        new PromoteCandidate().run(c);
        return c;
    }

    interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} on a thread of its own; what it throws lands in {@code failure}. */
    static Thread inBackground(Work work, AtomicReference<Exception> failure) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.start();
        return t;
    }

    static ReleaseSpec spec(Promotion promotion, List<RegionTarget> regions, Sharing sharing, List<AccountCopy> accounts,
            List<String> parameters, List<LaunchTemplateTarget> templates, Duration deprecateAfter, boolean protect) {
        return new ReleaseSpec(promotion, regions, sharing, accounts, parameters, templates, deprecateAfter, protect, null);
    }

    static ReleaseSpec regions(String... regions) {
        return spec(Promotion.TAG, List.of(regions).stream().map(r -> new RegionTarget(r, null, false)).toList(),
                Sharing.NONE, List.of(), List.of(), List.of(), null, false);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    // ---- promotion ----

    @Test
    void tagPromotionRetagsTheCandidateInPlaceAndKeepsItsTagsForTheCopies() throws Exception {
        String id = candidate(RELEASE_NAME, "verified");
        DeployContext c = context(id, ReleaseSpec.DEFAULT, false);
        new PromoteCandidate().run(c);
        assertEquals("released", platform.image(id).orElseThrow().tags.get("ami:status"));
        assertEquals("release", platform.image(id).orElseThrow().tags.get("ami:role"), "no longer the candidate");
        assertEquals("release", c.releaseTags.get("ami:role"), "nor are its copies");
        assertEquals(1, platform.count("tag " + HOME));
        assertEquals(0, platform.count("copy " + HOME));
        ImageRelease r = c.result();
        assertEquals(id, r.releasedId());
        assertEquals(RELEASE_NAME, r.releaseName());
        assertEquals(Map.of(HOME, id), r.regions());
        assertTrue(r.complete());
        assertEquals("platform", c.releaseTags.get("Team"));
        assertFalse(c.releaseTags.containsKey("aws:cloudformation:stack-name"), "aws: tags cannot be set");
        assertTrue(log.messages().contains("released " + id + " in " + HOME), log.text());
    }

    @Test
    void copyPromotionCopiesToTheReleaseNameThenDeletesTheCandidate() throws Exception {
        String id = candidate(CANDIDATE_NAME, "verified");
        DeployContext c = context(id, spec(Promotion.COPY, List.of(), Sharing.NONE, List.of(), List.of(), List.of(),
                null, false), false);
        new PromoteCandidate().run(c);
        assertTrue(platform.image(id).isEmpty(), "the candidate was deleted");
        List<Image> images = platform.images(HOME);
        assertEquals(1, images.size());
        Image release = images.get(0);
        assertEquals(release.id, c.releasedId);
        assertEquals(RELEASE_NAME, release.name);
        assertEquals("available", release.state);
        assertEquals(Map.of("ami:status", "released", "ami:image", "web", "Name", RELEASE_NAME, "Team", "platform",
                "ami:role", "release"), release.tags);

        // the next run finds the release (the candidate is gone) and carries on from it
        DeployContext again = context(id, c.spec, false);
        new PromoteCandidate().run(again);
        assertEquals(release.id, again.releasedId);
        assertEquals(1, platform.count("copy " + HOME));
        assertTrue(log.messages().contains("candidate " + id + " was already promoted to " + release.id + " ("
                + RELEASE_NAME + ")"), log.text());
    }

    @Test
    void anUnverifiedCandidateIsRefusedUnlessForcedThenLoudly() throws Exception {
        String id = candidate(RELEASE_NAME, "candidate");
        PromotionRefused refused = assertThrows(PromotionRefused.class,
                () -> new PromoteCandidate().run(context(id, ReleaseSpec.DEFAULT, false)));
        assertEquals("candidate " + id + " is candidate, not verified: run the verify phase, or promote anyway with"
                + " -Dami.forcePromote", refused.getMessage());
        assertEquals("candidate", platform.image(id).orElseThrow().tags.get("ami:status"));

        new PromoteCandidate().run(context(id, ReleaseSpec.DEFAULT, true));
        assertEquals("released", platform.image(id).orElseThrow().tags.get("ami:status"));
        assertTrue(log.messages().contains("WARN PROMOTING UNVERIFIED candidate " + id + " (candidate) (ami.forcePromote)"),
                log.text());
    }

    /** A candidate whose tests -Dami.skipTests skipped: verify tagged it unverified, and deploy names why. */
    @Test
    void aCandidateWhoseTestsWereSkippedIsRefusedUnlessForced() throws Exception {
        String id = platform.seedImage(HOME, RELEASE_NAME, Map.of("ami:status", "candidate", "ami:verified", "false",
                "ami:image", "web"));
        PromotionRefused refused = assertThrows(PromotionRefused.class,
                () -> new PromoteCandidate().run(context(id, ReleaseSpec.DEFAULT, false)));
        assertEquals("candidate " + id + " was not tested (-Dami.skipTests): run integration-test and verify without"
                + " -Dami.skipTests, or promote it untested with -Dami.forcePromote", refused.getMessage());
        assertEquals(0, platform.count("tag " + HOME));

        new PromoteCandidate().run(context(id, ReleaseSpec.DEFAULT, true));
        assertEquals("released", platform.image(id).orElseThrow().tags.get("ami:status"));
        assertEquals("false", platform.image(id).orElseThrow().tags.get("ami:verified"), "it stays marked untested");
    }

    @Test
    void whatCannotBePromotedIsRefusedBeforeAnythingChanges() {
        String db = platform.seedImage(HOME, "db-1", Map.of("ami:status", "verified", "ami:image", "db"));
        assertRefused(context(db, ReleaseSpec.DEFAULT, false), "is an image of 'db', not of 'web'");
        assertRefused(context("ami-0123456789", ReleaseSpec.DEFAULT, false),
                "candidate ami-0123456789 (from manifest.json) does not exist in " + HOME);
        String unmarked = candidate(RELEASE_NAME, "verified");
        assertRefused(context(unmarked, spec(Promotion.COPY, List.of(), Sharing.NONE, List.of(), List.of(), List.of(),
                null, false), false), "has no 'candidate-' marker in its name");
        assertRefused(context(unmarked, spec(Promotion.TAG, List.of(), Sharing.NONE,
                List.of(new AccountCopy("arn:aws:iam::" + OTHER_ACCOUNT + ":role/import", OTHER_ACCOUNT, List.of(EAST))),
                List.of(), List.of(), null, false), false), "copies to account " + OTHER_ACCOUNT + " in " + EAST
                + ", which is not a release region [" + HOME + "]");
        assertRefused(context(unmarked, spec(Promotion.TAG, List.of(), Sharing.NONE, List.of(), List.of(),
                List.of(new LaunchTemplateTarget(null, "web", EAST, true)), null, false), false),
                "template web is in " + EAST + ", which is not a release region");
        assertEquals(0, platform.calls().stream().filter(call -> !call.startsWith("find")).count(), platform.calls()
                .toString());
    }

    void assertRefused(DeployContext c, String why) {
        PromotionRefused refused = assertThrows(PromotionRefused.class, () -> new PromoteCandidate().run(c));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
        assertFalse(c.promoted());
    }

    @Test
    void deprecationIsCountedFromTheReleaseButNeverSoonerThanAMinuteFromNow() throws Exception {
        Instant created = Instant.now().minus(Duration.ofDays(2));
        String old = platform.seedImage(HOME, RELEASE_NAME, "available", created,
                Map.of("ami:status", "verified", "ami:image", "web"));
        DeployContext late = context(old, spec(Promotion.TAG, List.of(), Sharing.NONE, List.of(), List.of(), List.of(),
                Duration.ofDays(30), false), false);
        new PromoteCandidate().run(late);
        assertEquals(created.plus(Duration.ofDays(30)), late.deprecateAt, "a re-run computes the same instant");

        String older = platform.seedImage(HOME, "web-older", "available", created,
                Map.of("ami:status", "verified", "ami:image", "web"));
        DeployContext past = context(older, spec(Promotion.TAG, List.of(), Sharing.NONE, List.of(), List.of(),
                List.of(), Duration.ofHours(1), false), false);
        new PromoteCandidate().run(past);
        assertTrue(past.deprecateAt.isAfter(Instant.now().plusSeconds(50)), String.valueOf(past.deprecateAt));
    }

    // ---- copies to regions ----

    @Test
    void copiesToEveryRegionAtOnceEncryptedAsAskedAndTaggedWithTheirOrigin() throws Exception {
        DeployContext c = promoted(spec(Promotion.TAG, List.of(new RegionTarget(EAST, KMS_KEY, false),
                new RegionTarget(WEST, null, true), new RegionTarget("eu-west-1", null, false)), Sharing.NONE,
                List.of(), List.of(), List.of(), null, false));
        platform.holdCopies();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread copying = inBackground(() -> new CopyToRegions().run(c), failure);
        await(() -> platform.heldWaits() == 3, "all three copies wait at once");
        platform.releaseCopies();
        copying.join(10_000);
        assertNull(failure.get());

        assertEquals(List.of(HOME, EAST, WEST, "eu-west-1"), List.copyOf(c.result().regions().keySet()));
        assertTrue(c.result().complete(), c.result().problems().toString());
        for (String region : List.of(EAST, WEST, "eu-west-1")) {
            Image copy = platform.images(region).get(0);
            assertEquals("available", copy.state, region);
            assertEquals(RELEASE_NAME, copy.name, region);
            assertEquals(HOME + "/" + c.releasedId, copy.tags.get("ami:copied-from"), region);
            assertEquals("released", copy.tags.get("ami:status"), region);
            assertEquals("platform", copy.tags.get("Team"), region);
        }
        ImageCopy east = platform.images(EAST).get(0).copiedBy;
        assertTrue(east.encrypted(), "a KMS key implies encryption");
        assertEquals(KMS_KEY, east.kmsKeyId());
        assertTrue(platform.images(WEST).get(0).copiedBy.encrypted());
        assertFalse(platform.images("eu-west-1").get(0).copiedBy.encrypted());
        assertEquals(0, platform.count("tag " + EAST), "tagged as they were created");
    }

    @Test
    void aCopyAnEarlierRunStartedIsWaitedForAndRetaggedNotCopiedAgain() throws Exception {
        DeployContext c = promoted(regions(EAST));
        String pending = platform.seedImage(EAST, RELEASE_NAME, "pending", Instant.now(), Map.of("ami:build-id", "b0"));
        new CopyToRegions().run(c);
        assertEquals(pending, c.regionImages.get(EAST).id());
        assertEquals(0, platform.count("copy " + EAST));
        Image copy = platform.image(pending).orElseThrow();
        assertEquals("available", copy.state);
        assertEquals(HOME + "/" + c.releasedId, copy.tags.get("ami:copied-from"));
        assertEquals("b0", copy.tags.get("ami:build-id"), "tags are added, not replaced");
        assertTrue(log.messages().contains("copy to " + EAST + " exists already (" + pending + ", pending): not copied"
                + " again, waiting until available"), log.text());
        assertTrue(log.messages().contains("copy to " + EAST + ": " + pending + " available"), log.text());
    }

    @Test
    void aCopyThatFailedInAnEarlierRunIsDeletedAndMadeAgainUnderAnotherToken() throws Exception {
        DeployContext c = promoted(regions(EAST));
        String failed = platform.seedImage(EAST, RELEASE_NAME, "failed", Instant.now(), Map.of());
        new CopyToRegions().run(c);
        assertTrue(platform.image(failed).isEmpty());
        Image copy = platform.images(EAST).get(0);
        assertEquals(copy.id, c.regionImages.get(EAST).id());
        assertEquals(ResumableCopy.idempotencyToken(ResumableCopy.idempotencyToken("region", HOME, c.releasedId, EAST,
                RELEASE_NAME), "after", failed), copy.copiedBy.idempotencyToken());
        assertTrue(log.messages().contains("WARN an earlier copy to " + EAST + " (" + failed
                + ") failed: deleting it and copying again"), log.text());
    }

    @Test
    void oneRegionsFailureIsItsProblemAndTheOtherRegionsAreCopied() throws Exception {
        DeployContext c = promoted(regions(EAST, WEST));
        platform.failOnce("copy " + WEST);
        new CopyToRegions().run(c);
        ImageRelease r = c.result();
        assertEquals(Set.of(HOME, EAST), r.regions().keySet());
        assertEquals(1, r.problems().size());
        assertEquals("copying to " + WEST + ": injected failure: copy " + WEST, r.problems().get(0).describe());
        assertTrue(log.messages().contains("ERROR copying to " + WEST + " failed: injected failure: copy " + WEST),
                log.text());
    }

    /** The copy step's cleanup stops the waits; the copies go on, and the next run waits for them. */
    @Test
    void anInterruptStopsTheWaitsOfTheCopiesUnderWayAndLeavesTheCopiesForTheNextRun() throws Exception {
        DeployContext c = context(candidate(RELEASE_NAME, "verified"), spec(Promotion.TAG,
                List.of(new RegionTarget(EAST, null, false), new RegionTarget(WEST, null, false)), Sharing.NONE,
                List.of(), List.of("/images/web/latest"), List.of(), null, false), false);
        platform.holdCopies();
        AtomicReference<Exception> outcome = new AtomicReference<>();
        Thread deploy = inBackground(() -> StepRunner.run(List.of(new PromoteCandidate(), new CopyToRegions(),
                new PublishRelease()), c), outcome);
        await(() -> platform.heldWaits() == 2, "both copies wait");
        deploy.interrupt();
        deploy.join(10_000);
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        await(() -> platform.heldWaits() == 0, "the cleanup stopped the waits");
        assertEquals("pending", platform.images(EAST).get(0).state);
        assertEquals("pending", platform.images(WEST).get(0).state);
        assertEquals(0, platform.count("putParameter " + HOME), "no step after the interrupted one ran");

        platform.releaseCopies();
        DeployContext resumed = rerun(c);
        new CopyToRegions().run(resumed);
        assertTrue(resumed.result().complete(), resumed.result().problems().toString());
        assertEquals(1, platform.count("copy " + EAST));
        assertEquals(1, platform.count("copy " + WEST));
        assertEquals("available", platform.images(EAST).get(0).state);
    }

    // ---- copies to accounts ----

    @Test
    void anotherAccountGetsItsOwnCopyOfTheSharedRelease() throws Exception {
        String role = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/import";
        ReleaseSpec spec = spec(Promotion.TAG, List.of(new RegionTarget(EAST, null, false)), Sharing.NONE,
                List.of(new AccountCopy(role, OTHER_ACCOUNT, List.of())), List.of(), List.of(), null, false);
        DeployContext c = promoted(spec);
        new CopyToRegions().run(c);
        new CopyToAccounts().run(c);

        Image source = platform.images(EAST).get(0);
        assertEquals(Set.of(OTHER_ACCOUNT), source.launchPermissions);
        assertEquals(Set.of(OTHER_ACCOUNT), source.createVolumePermissions, "copying needs the snapshots too");
        InMemoryReleasePlatform other = (InMemoryReleasePlatform) platform.asRole(role);
        Image copy = other.images(EAST).get(0);
        assertEquals(OTHER_ACCOUNT, copy.account);
        assertEquals(RELEASE_NAME, copy.name);
        assertEquals(EAST + "/" + source.id, copy.tags.get("ami:copied-from"));
        assertEquals(Map.of(OTHER_ACCOUNT, Map.of(HOME, other.images(HOME).get(0).id, EAST, copy.id)),
                c.result().accounts());

        DeployContext again = rerun(c);
        new CopyToRegions().run(again);
        new CopyToAccounts().run(again);
        assertEquals(1, platform.count("copy " + EAST + " as " + OTHER_ACCOUNT), "found in the other account");
        assertEquals(c.result().accounts(), again.result().accounts());
    }

    @Test
    void aRegionWhoseOwnCopyFailedHasNoAccountCopy() throws Exception {
        String role = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/import";
        DeployContext c = promoted(spec(Promotion.TAG, List.of(new RegionTarget(EAST, null, false)), Sharing.NONE,
                List.of(new AccountCopy(role, OTHER_ACCOUNT, List.of(HOME, EAST))), List.of(), List.of(), null, false));
        platform.failOnce("copy " + EAST);
        new CopyToRegions().run(c);
        new CopyToAccounts().run(c);
        assertEquals(Map.of(OTHER_ACCOUNT, Map.of(HOME, ((InMemoryReleasePlatform) platform.asRole(role)).images(HOME)
                .get(0).id)), c.result().accounts());
        assertEquals(List.of("copying to " + EAST), c.result().problems().stream().map(ImageRelease.Problem::step).toList());
    }

    // ---- sharing, publishing, deprecation ----

    @Test
    void sharingGrantsLaunchAndVolumePermissionInEveryRegionEachOnItsOwn() throws Exception {
        Sharing sharing = new Sharing(List.of(OTHER_ACCOUNT), List.of("arn:aws:organizations::111122223333:organization/o-1"),
                List.of(), true);
        DeployContext c = promoted(spec(Promotion.TAG, List.of(new RegionTarget(EAST, null, false),
                new RegionTarget(WEST, null, false)), sharing, List.of(), List.of(), List.of(), null, false));
        new CopyToRegions().run(c);
        platform.failOnce("share " + EAST);
        new ShareRelease().run(c);
        for (String region : List.of(HOME, WEST)) {
            Image image = platform.images(region).get(0);
            assertEquals(Set.of(OTHER_ACCOUNT, "arn:aws:organizations::111122223333:organization/o-1"),
                    image.launchPermissions, region);
            assertEquals(Set.of(OTHER_ACCOUNT), image.createVolumePermissions, region);
        }
        assertEquals(Set.of(), platform.images(EAST).get(0).launchPermissions);
        assertEquals(List.of("sharing in " + EAST), c.result().problems().stream().map(ImageRelease.Problem::step).toList());
    }

    @Test
    void publishingWritesEachRegionsParametersAndANewTemplateVersionOnce() throws Exception {
        String template = platform.seedLaunchTemplate(HOME, "web", "ami-00000000");
        platform.seedLaunchTemplate(EAST, "web-east", "ami-00000000");
        ReleaseSpec spec = spec(Promotion.TAG, List.of(new RegionTarget(EAST, null, false)), Sharing.NONE, List.of(),
                List.of("/images/web/latest", "/images/latest"), List.of(new LaunchTemplateTarget(template, null, null, true),
                        new LaunchTemplateTarget(null, "web-east", EAST, false)), null, false);
        DeployContext c = promoted(spec);
        new CopyToRegions().run(c);
        new PublishRelease().run(c);
        ImageRelease r = c.result();
        String eastImage = r.regions().get(EAST);
        assertEquals(Map.of("/images/web/latest", r.releasedId(), "/images/latest", r.releasedId()), platform.parameters(HOME));
        assertEquals(Map.of("/images/web/latest", eastImage, "/images/latest", eastImage), platform.parameters(EAST));
        assertEquals(Map.of(HOME, Map.of("/images/web/latest", r.releasedId(), "/images/latest", r.releasedId()),
                EAST, Map.of("/images/web/latest", eastImage, "/images/latest", eastImage)), r.parameters());
        assertEquals(List.of("ami-00000000", r.releasedId()), platform.launchTemplateVersions(HOME, "web"));
        assertEquals(2, platform.launchTemplateDefault(HOME, "web"));
        assertEquals(List.of("ami-00000000", eastImage), platform.launchTemplateVersions(EAST, "web-east"));
        assertEquals(1, platform.launchTemplateDefault(EAST, "web-east"), "not asked to become the default");
        assertEquals(List.of(true, true), r.launchTemplates().stream().map(LaunchTemplateVersion::created).toList());
        assertTrue(log.messages().contains("launch template web (" + template + ") version 2 launches " + r.releasedId()
                + " in " + HOME + ", the default version"), log.text());

        DeployContext again = rerun(c);
        new CopyToRegions().run(again);
        new PublishRelease().run(again);
        assertEquals(List.of(false, false), again.result().launchTemplates().stream()
                .map(LaunchTemplateVersion::created).toList());
        assertEquals(2, platform.launchTemplateVersions(HOME, "web").size());
    }

    @Test
    void anUnknownTemplateIsItsOwnProblemAndTheParametersAreStillWritten() throws Exception {
        DeployContext c = promoted(spec(Promotion.TAG, List.of(), Sharing.NONE, List.of(), List.of("/images/web/latest"),
                List.of(new LaunchTemplateTarget(null, "no-such-template", null, true)), null, false));
        new PublishRelease().run(c);
        assertEquals(List.of("updating launch template no-such-template in " + HOME + ": launch template no-such-template"
                + " does not exist in " + HOME + ": check <deploy>/<launchTemplates>"),
                c.result().problems().stream().map(ImageRelease.Problem::describe).toList());
        assertEquals(Map.of("/images/web/latest", c.releasedId), platform.parameters(HOME));
    }

    @Test
    void deprecationAndProtectionReachEveryRegionsRelease() throws Exception {
        DeployContext c = promoted(spec(Promotion.TAG, List.of(new RegionTarget(EAST, null, false)), Sharing.NONE,
                List.of(), List.of(), List.of(), Duration.ofDays(30), true));
        new CopyToRegions().run(c);
        new DeprecateRelease().run(c);
        for (String region : List.of(HOME, EAST)) {
            Image image = platform.images(region).get(0);
            assertEquals(c.deprecateAt, image.deprecateAt, region);
            assertTrue(image.deregistrationProtected, region);
        }
        assertEquals(c.deprecateAt, c.result().deprecateAt());
        assertTrue(c.result().deregistrationProtection());
    }

    @Test
    void protectionAloneDeprecatesNothing() throws Exception {
        DeployContext c = promoted(spec(Promotion.TAG, List.of(), Sharing.NONE, List.of(), List.of(), List.of(), null,
                true));
        new DeprecateRelease().run(c);
        assertNull(platform.images(HOME).get(0).deprecateAt);
        assertEquals(0, platform.count("deprecate " + HOME));
        assertTrue(platform.images(HOME).get(0).deregistrationProtected);
    }
}
