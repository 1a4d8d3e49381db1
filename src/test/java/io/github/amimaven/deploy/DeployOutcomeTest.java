package io.github.amimaven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;

/** What the deploy goal reports: the request it builds, the summary it logs, the problems it fails with. */
class DeployOutcomeTest {

    static ImageRelease release(String image, String releasedId, Map<String, String> regions,
            Map<String, Map<String, String>> accounts, String refused, List<ImageRelease.Problem> problems) {
        return new ImageRelease(image, "ec2", "ap-southeast-2", Promotion.TAG, image + "-1", releasedId, Instant.EPOCH,
                regions, accounts, Sharing.NONE, Map.of(), List.of(), null, false, refused, problems);
    }

    @Test
    void theRequestDeploysTheChosenCandidatesAsTheirImagesSay() {
        ReleaseSpec copy = new ReleaseSpec(Promotion.COPY, List.of(), Sharing.NONE, List.of(), List.of(), List.of(),
                null, false, null);
        Map<String, DeployRequest.Candidate> chosen = new LinkedHashMap<>();
        chosen.put("web", new DeployRequest.Candidate("ami-1", null, "-Dami.candidate"));
        chosen.put("db", new DeployRequest.Candidate("ami-2", "db-1", "manifest.json"));
        DeployRequest request = DeployRequest.of(chosen, Map.of("web", copy),
                image -> Duration.ofMinutes(image.length()), true);
        assertEquals(List.of(
                new DeployRequest.ImageDeployment("web", chosen.get("web"), copy, Duration.ofMinutes(3)),
                new DeployRequest.ImageDeployment("db", chosen.get("db"), ReleaseSpec.DEFAULT, Duration.ofMinutes(2))),
                request.images());
        assertEquals(true, request.forcePromote());
    }

    @Test
    void theSummaryListsEachPromotedImageWhereItIsAndWhetherItIsComplete() {
        Map<String, String> regions = new LinkedHashMap<>();
        regions.put("ap-southeast-2", "ami-1");
        regions.put("us-east-1", "ami-2");
        DeployOutcome outcome = new DeployOutcome(List.of(), List.of(
                release("web", "ami-1", regions, Map.of("444455556666", Map.of("us-east-1", "ami-3")), null, List.of()),
                release("db", "ami-4", Map.of("ap-southeast-2", "ami-4"), Map.of(), null,
                        List.of(new ImageRelease.Problem("copying to us-east-1", new IllegalStateException("gone")))),
                release("cache", null, Map.of(), Map.of(), "candidate ami-5 is failed, not verified", List.of())));
        assertEquals(List.of(
                "  web                      RELEASED   ap-southeast-2 ami-1, us-east-1 ami-2",
                "    account 444455556666: {us-east-1=ami-3}",
                "  db                       PARTIAL    ap-southeast-2 ami-4"), outcome.summary());
    }

    @Test
    void theProblemsAreTheMissingCandidatesTheRefusalsAndTheFailedSteps() {
        IllegalStateException gone = new IllegalStateException("gone");
        DeployOutcome outcome = new DeployOutcome(List.of("[queue] has no candidate: run the package phase first"),
                List.of(release("web", "ami-1", Map.of(), Map.of(), null, List.of()),
                        release("db", "ami-4", Map.of(), Map.of(), null,
                                List.of(new ImageRelease.Problem("copying to us-east-1", gone))),
                        release("cache", null, Map.of(), Map.of(), "candidate ami-5 is failed, not verified", List.of())));
        List<DeployOutcome.Problem> problems = outcome.problems();
        assertEquals(List.of("[queue] has no candidate: run the package phase first",
                "[db] copying to us-east-1: gone", "[cache] candidate ami-5 is failed, not verified"),
                problems.stream().map(DeployOutcome.Problem::line).toList());
        assertNull(problems.get(0).cause(), "the user's to fix");
        assertSame(gone, problems.get(1).cause());
        assertNull(problems.get(2).cause(), "the user's to fix");
    }
}
