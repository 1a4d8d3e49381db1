package io.github.amimaven.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.deploy.Pruner;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.plan.Plan.ImagePlan;
import io.github.amimaven.testing.FakePlatform;
import io.github.amimaven.testing.InMemoryReleasePlatform;

/** What {@code ami:plan} finds and says, with read calls only, and its JSON. */
class PlannerTest {

    static final String HOME = "ap-southeast-2";
    static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");
    static final ProjectInfo PROJECT = new ProjectInfo("com.example", "images", "1.2.0", Path.of("."), Path.of("target"));
    static final String ROLE = "arn:aws:iam::444455556666:role/image-copier";
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-abcd1234ef";

    final FakePlatform platform = new FakePlatform("ec2", HOME);
    final InMemoryReleasePlatform releases = new InMemoryReleasePlatform(HOME);

    static ImageSpec image(String name, String template) {
        return new ImageSpec(name, "ec2", new SourceSpec(null, List.of("self"), "base*", Map.of(), null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), null, List.of(),
                Map.of(), template, null, Timeouts.defaults());
    }

    static ReleaseSpec distribution() {
        return new ReleaseSpec(Promotion.COPY, List.of(new RegionTarget("us-east-1", null, false)),
                new Sharing(List.of("777788889999"), List.of(ORG), List.of(), true),
                List.of(new AccountCopy(ROLE, "444455556666", List.of("us-east-1"))), List.of("/images/web/latest"),
                List.of(new LaunchTemplateTarget(null, "web-servers", null, true),
                        new LaunchTemplateTarget("lt-0123456789abcdef0", null, "us-east-1", false)),
                Duration.ofDays(90), true, null);
    }

    Plan plan(Planner.Target... targets) {
        return new Planner(PROJECT, NOW).plan(List.of(targets));
    }

    @Test
    void namesTheSourceTheCandidateAndEveryTargetWithWhatIsThereAlready() {
        releases.seedImage(HOME, "web-20261101-000000", "available", Instant.parse("2026-11-01T00:00:00Z"),
                Pruner.releaseTags(PROJECT.coordinates(), "web"));
        releases.seedImage(HOME, "web-20261001-000000", "available", Instant.parse("2026-10-01T00:00:00Z"),
                Pruner.releaseTags(PROJECT.coordinates(), "web"));
        String sameName = releases.seedImage("us-east-1", "web-20261203-101530",
                Pruner.releaseTags(PROJECT.coordinates(), "web"));
        String theirCopy = ((InMemoryReleasePlatform) releases.asRole(ROLE)).seedImage("us-east-1", "web-20261203-101530",
                Map.of());
        String launched = releases.seedImage(HOME, "web-old", Map.of());
        String templateId = releases.seedLaunchTemplate(HOME, "web-servers", launched);
        releases.putParameter(HOME, "/images/web/latest", launched);
        int setUpCalls = releases.calls().size();

        ImagePlan web = plan(new Planner.Target(image("web", ImageNamer.candidateTemplate(ImageNamer.DEFAULT_TEMPLATE)),
                distribution(), platform, releases)).images().get(0);

        assertEquals(new Plan.Source("ami-source", "source", "2026-01-01T00:00:00.000Z"), web.source());
        assertEquals("candidate-web-20261203-101530", web.candidateName());
        assertEquals("web-20261203-101530", web.releaseName());
        assertEquals("copy", web.promotion());
        assertEquals(HOME, web.location());
        assertEquals(List.of(HOME, "us-east-1"), web.regions().stream().map(Plan.RegionPlan::region).toList());
        Plan.RegionPlan home = web.regions().get(0);
        assertTrue(home.buildRegion());
        assertNull(home.sameName());
        assertEquals(List.of("web-20261101-000000", "web-20261001-000000"), home.earlierReleases().stream()
                .map(Plan.ExistingImage::name).toList(), "newest first");
        Plan.RegionPlan east = web.regions().get(1);
        assertEquals(sameName, east.sameName().id());
        assertEquals(List.of(), east.earlierReleases(), "the release of the same name is not said twice");
        assertEquals(new Plan.Sharing(List.of("777788889999"), List.of(ORG), List.of(), true), web.sharing());
        assertEquals(List.of(new Plan.AccountPlan("444455556666", ROLE, List.of("us-east-1"),
                List.of(new Plan.ExistingImage("us-east-1", theirCopy, "web-20261203-101530", "available",
                        releases.image(theirCopy).orElseThrow().created.toString())))), web.accounts());
        assertEquals(List.of(new Plan.ParameterPlan(HOME, "/images/web/latest", launched),
                new Plan.ParameterPlan("us-east-1", "/images/web/latest", null)), web.ssmParameters());
        assertEquals(List.of(new Plan.TemplatePlan(HOME, "web-servers", true, true, templateId, 1L, launched),
                new Plan.TemplatePlan("us-east-1", "lt-0123456789abcdef0", false, false, null, null, null)),
                web.launchTemplates());
        assertEquals("PT2160H", web.deprecateAfter());
        assertTrue(web.deregistrationProtection());

        assertEquals(List.of("resolveSource"), platform.calls);
        List<String> planCalls = new ArrayList<>(releases.calls().subList(setUpCalls, releases.calls().size()));
        planCalls.removeIf(c -> c.startsWith("find") || c.startsWith("parameterValue ")
                || c.startsWith("latestLaunchTemplateVersion "));
        assertEquals(List.of(), planCalls, "only reads");
    }

    @Test
    void anImageWithoutDeployIsReleasedInPlaceUnderTheCandidatesName() {
        ImagePlan db = plan(new Planner.Target(image("db", "{name}-{version}-{buildId}"), ReleaseSpec.DEFAULT, platform,
                releases)).images().get(0);
        assertEquals("db-1.2.0-{buildId}", db.candidateName());
        assertEquals("db-1.2.0-{buildId}", db.releaseName());
        assertEquals("tag", db.promotion());
        assertEquals(List.of(new Plan.RegionPlan(HOME, true, null, List.of())), db.regions());
        assertEquals(List.of(), db.accounts());
        assertEquals(List.of(), db.ssmParameters());
        assertEquals(List.of(), db.launchTemplates());
        assertNull(db.deprecateAfter());
        assertFalse(db.deregistrationProtection());
        assertEquals(List.of("db (ec2, ap-southeast-2)",
                "  source:    ami-source (source, created 2026-01-01T00:00:00.000Z)",
                "  candidate: db-1.2.0-{buildId}",
                "  release:   db-1.2.0-{buildId} (promotion tag)",
                "  region ap-southeast-2 (build region): no image of that name yet; no earlier release"),
                new Plan(NOW.toString(), List.of(db)).lines());
    }

    @Test
    void printsEachTargetOnALineOfItsOwn() {
        releases.seedImage("us-east-1", "web-20261203-101530", "pending", Instant.parse("2026-12-03T10:00:00Z"), Map.of());
        List<String> lines = plan(new Planner.Target(image("web", ImageNamer.candidateTemplate(ImageNamer.DEFAULT_TEMPLATE)),
                distribution(), platform, releases)).lines();
        assertEquals(List.of("web (ec2, ap-southeast-2)",
                "  source:    ami-source (source, created 2026-01-01T00:00:00.000Z)",
                "  candidate: candidate-web-20261203-101530",
                "  release:   web-20261203-101530 (promotion copy)",
                "  region ap-southeast-2 (build region): no image of that name yet; no earlier release",
                "  region us-east-1: exists already: ami-00000001 (web-20261203-101530, pending, created"
                        + " 2026-12-03T10:00:00Z), deploy carries on with it; no earlier release",
                "  share with: accounts 777788889999; organizations " + ORG + " (with create-volume permission)",
                "  account 444455556666 (role " + ROLE + ") in us-east-1: no copy yet",
                "  SSM parameter /images/web/latest in ap-southeast-2: new, set to the release",
                "  SSM parameter /images/web/latest in us-east-1: new, set to the release",
                "  launch template web-servers in ap-southeast-2: DOES NOT EXIST: deploy would fail on it",
                "  launch template lt-0123456789abcdef0 in us-east-1: DOES NOT EXIST: deploy would fail on it",
                "  deprecated PT2160H after the release",
                "  protected from deregistration"), lines);
    }

    @Test
    void theJsonHasEveryFieldOfEveryImageEvenWhenEmpty(@TempDir Path dir) throws Exception {
        Plan plan = plan(new Planner.Target(image("db", ImageNamer.DEFAULT_TEMPLATE), ReleaseSpec.DEFAULT, platform,
                releases));
        Path file = dir.resolve("ami/plan.json");
        plan.write(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(List.of("plannedAt", "images"), fields(json));
        assertEquals("2026-12-03T10:15:30Z", json.get("plannedAt").asText());
        JsonNode db = json.get("images").get(0);
        assertEquals(List.of("image", "platform", "location", "source", "candidateName", "promotion", "releaseName",
                "regions", "sharing", "accounts", "ssmParameters", "launchTemplates", "deprecateAfter",
                "deregistrationProtection"), fields(db));
        assertEquals(List.of("id", "name", "creationDate"), fields(db.get("source")));
        assertEquals(List.of("region", "buildRegion", "sameName", "earlierReleases"), fields(db.get("regions").get(0)));
        assertEquals(List.of("accounts", "organizations", "organizationalUnits", "createVolumePermission"),
                fields(db.get("sharing")));
        assertTrue(db.get("deprecateAfter").isNull());
        assertEquals("db-20261203-101530", db.get("candidateName").asText());
        assertEquals(plan, new ObjectMapper().readValue(file.toFile(), Plan.class), "reads back as written");
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
