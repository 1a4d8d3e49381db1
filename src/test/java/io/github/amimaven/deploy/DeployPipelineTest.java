package io.github.amimaven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.DeployRequest.Candidate;
import io.github.amimaven.deploy.DeployRequest.ImageDeployment;
import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.InMemoryReleasePlatform;

/** The deploy phase's steps as {@code deploy} runs them: their order, a failure half-way, the run that resumes. */
class DeployPipelineTest {

    static final String HOME = DeployStepsTest.HOME;
    static final String EAST = DeployStepsTest.EAST;
    static final String WEST = DeployStepsTest.WEST;
    static final String OTHER_ACCOUNT = DeployStepsTest.OTHER_ACCOUNT;
    static final String NAME = "candidate-web-20260101-000000";
    static final String RELEASE_NAME = "web-20260101-000000";

    final InMemoryReleasePlatform platform = new InMemoryReleasePlatform(HOME);
    final CollectingLog log = CollectingLog.quiet();

    String candidate() {
        return platform.seedImage(HOME, NAME, Map.of("ami:status", "verified", "ami:image", "web", "Name", NAME));
    }

    static ReleaseSpec everything() {
        return new ReleaseSpec(Promotion.COPY, List.of(new RegionTarget(EAST, null, false), new RegionTarget(WEST, null,
                true)), new Sharing(List.of(OTHER_ACCOUNT), List.of(), List.of(), false),
                List.of(new AccountCopy("arn:aws:iam::" + OTHER_ACCOUNT + ":role/import", OTHER_ACCOUNT, List.of(EAST))),
                List.of("/images/web/latest"), List.of(new LaunchTemplateTarget(null, "web", null, true)),
                Duration.ofDays(30), true, null);
    }

    ImageRelease deploy(String candidateId, ReleaseSpec spec) throws InterruptedException {
        return new Deployer(d -> platform, Pipelines::release, log).deploy(new DeployRequest(List.of(
                new ImageDeployment("web", new Candidate(candidateId, NAME, "manifest.json"), spec,
                        Duration.ofSeconds(5))), false)).get(0);
    }

    /** The calls that change something, in order, without the waits and look-ups. */
    List<String> changes() {
        return platform.calls().stream().filter(c -> !c.startsWith("find") && !c.startsWith("awaitAvailable")).toList();
    }

    @Test
    void onlyTheStepsTheReleaseAsksForRun() {
        assertEquals(List.of(PromoteCandidate.class), Pipelines.release(ReleaseSpec.DEFAULT).stream()
                .map(Object::getClass).toList());
        assertEquals(List.of(PromoteCandidate.class, CopyToRegions.class, CopyToAccounts.class, ShareRelease.class,
                PublishRelease.class, DeprecateRelease.class), Pipelines.release(everything()).stream()
                .map(Object::getClass).toList());
    }

    @Test
    void releasesPromoteThenCopyThenShareThenPublishThenDeprecate() throws Exception {
        platform.seedLaunchTemplate(HOME, "web", "ami-00000000");
        String id = candidate();
        ImageRelease r = deploy(id, everything());
        assertTrue(r.complete(), () -> r.problems() + "\n" + log.text());

        String as = " as " + OTHER_ACCOUNT;
        List<String> changes = changes();
        List<String> copies = changes.subList(2, 4);
        assertEquals(List.of("copy " + HOME, "delete " + HOME), changes.subList(0, 2));
        assertEquals(List.of("copy " + EAST, "copy " + WEST), copies.stream().sorted().toList(), "in parallel, any order");
        assertEquals(List.of("share " + EAST, "copy " + EAST + as, // the account copy
                "share " + HOME, "share " + EAST, "share " + WEST, // the sharing
                "putParameter " + HOME, "putParameter " + EAST, "putParameter " + WEST, "newLaunchTemplateVersion " + HOME,
                "deprecate " + HOME, "protectFromDeregistration " + HOME, "deprecate " + EAST,
                "protectFromDeregistration " + EAST, "deprecate " + WEST, "protectFromDeregistration " + WEST),
                changes.subList(4, changes.size()));

        assertEquals(RELEASE_NAME, r.releaseName());
        assertEquals(List.of(HOME, EAST, WEST), List.copyOf(r.regions().keySet()));
        assertEquals(Map.of(OTHER_ACCOUNT, Map.of(EAST, ((InMemoryReleasePlatform) platform.asRole(
                "arn:aws:iam::" + OTHER_ACCOUNT + ":role/import")).images(EAST).get(0).id)), r.accounts());
        assertEquals(r.regions().get(WEST), r.parameters().get(WEST).get("/images/web/latest"));
        assertEquals(List.of(r.releasedId()), r.launchTemplates().stream().map(LaunchTemplateVersion::imageId).toList());
        assertEquals(platform.images(WEST).get(0).deprecateAt, r.deprecateAt());
        assertTrue(log.messages().contains("[web] ==> Copying to regions"), log.text());
    }

    @Test
    void aDeployFailingHalfWayIsResumedWithoutRedoingWhatExists() throws Exception {
        String id = candidate();
        ReleaseSpec spec = new ReleaseSpec(Promotion.TAG, List.of(new RegionTarget(EAST, null, false),
                new RegionTarget(WEST, null, false)), Sharing.NONE, List.of(), List.of("/images/web/latest"), List.of(),
                null, false, null);
        platform.failOnce("copy " + WEST);

        ImageRelease first = deploy(id, spec);
        assertTrue(first.promoted());
        assertEquals(List.of("copying to " + WEST), first.problems().stream().map(ImageRelease.Problem::step).toList());
        assertEquals(List.of(HOME, EAST), List.copyOf(first.regions().keySet()));
        assertEquals(Map.of(), platform.parameters(WEST), "nothing to publish where nothing was copied");
        assertEquals(Map.of("/images/web/latest", first.regions().get(EAST)), platform.parameters(EAST),
                "the steps after the failed copy still ran");

        ImageRelease second = deploy(id, spec);
        assertTrue(second.complete(), () -> second.problems().toString());
        assertEquals(first.releasedId(), second.releasedId());
        assertEquals(first.regions().get(EAST), second.regions().get(EAST));
        assertEquals(1, platform.count("copy " + EAST), "found, not copied again");
        assertEquals(2, platform.count("copy " + WEST), "the failed copy, and the one that resumed it");
        assertEquals(1, platform.count("tag " + HOME), "the release was found released");
        assertEquals(Map.of("/images/web/latest", second.regions().get(WEST)), platform.parameters(WEST));
        assertTrue(log.messages().contains("[web] copy to " + EAST + " exists already (" + first.regions().get(EAST)
                + ", available): not copied again"), log.text());
        assertEquals(1, log.messages().stream().filter(("[web] copy to " + EAST + ": " + first.regions().get(EAST)
                + " available")::equals).count(), "said once, by the run that waited for it: " + log.text());
        assertTrue(log.messages().contains("[web] released " + id + " in " + HOME + " (already released)"), log.text());
    }

    @Test
    void aRefusedCandidateRunsNoOtherStep() throws Exception {
        String id = platform.seedImage(HOME, NAME, Map.of("ami:status", "failed", "ami:image", "web"));
        ImageRelease r = deploy(id, everything());
        assertFalse(r.promoted());
        assertTrue(r.refused().startsWith("candidate " + id + " is failed, not verified"), r.refused());
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), changes());
    }

    @Test
    void aFailedPromotionIsReportedAsSuchAndNothingIsCopied() throws Exception {
        String id = candidate();
        platform.failOnce("copy " + HOME);
        ImageRelease r = deploy(id, everything());
        assertFalse(r.promoted());
        assertNull(r.refused());
        assertEquals(List.of("promoting " + id + ": injected failure: copy " + HOME),
                r.problems().stream().map(ImageRelease.Problem::describe).toList());
        assertEquals(List.of("copy " + HOME), changes());
    }

    @Test
    void aFailureAfterThePromotionEndsTheImagesStepsAsADeployProblem() throws Exception {
        String id = candidate();
        platform.failOnce("delete " + HOME);
        ImageRelease r = deploy(id, everything());
        assertTrue(r.promoted());
        assertEquals(List.of("deploy: injected failure: delete " + HOME),
                r.problems().stream().map(ImageRelease.Problem::describe).toList());
        assertEquals(List.of("copy " + HOME, "delete " + HOME), changes());
    }

    @Test
    void oneImagesFailureDoesNotStopTheOthers() throws Exception {
        String web = candidate();
        String db = platform.seedImage(HOME, "db-1", Map.of("ami:status", "verified", "ami:image", "db"));
        platform.failOnce("tag " + HOME);
        List<ImageDeployment> images = new ArrayList<>();
        images.add(new ImageDeployment("web", new Candidate(web, NAME, "m"), ReleaseSpec.DEFAULT, Duration.ofSeconds(5)));
        images.add(new ImageDeployment("db", new Candidate(db, "db-1", "m"), ReleaseSpec.DEFAULT, Duration.ofSeconds(5)));
        List<ImageRelease> released = new Deployer(d -> platform, Pipelines::release, log)
                .deploy(new DeployRequest(images, false));
        assertEquals(List.of("web", "db"), released.stream().map(ImageRelease::image).toList());
        assertEquals(1, released.stream().filter(ImageRelease::complete).count(), released.toString());
    }

    @Test
    void anInterruptedDeployThrowsAndTheNextOneWaitsForTheCopiesItLeft() throws Exception {
        String id = candidate();
        ReleaseSpec spec = DeployStepsTest.regions(EAST, WEST);
        platform.holdCopies();
        AtomicReference<Exception> outcome = new AtomicReference<>();
        Thread deploy = DeployStepsTest.inBackground(() -> deploy(id, spec), outcome);
        DeployStepsTest.await(() -> platform.heldWaits() == 2, "both copies wait");
        deploy.interrupt();
        deploy.join(10_000);
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        DeployStepsTest.await(() -> platform.heldWaits() == 0, "no wait is left behind");

        platform.releaseCopies();
        ImageRelease resumed = deploy(id, spec);
        assertTrue(resumed.complete(), () -> resumed.problems().toString());
        assertEquals(1, platform.count("copy " + EAST));
        assertEquals(1, platform.count("copy " + WEST));
    }
}
