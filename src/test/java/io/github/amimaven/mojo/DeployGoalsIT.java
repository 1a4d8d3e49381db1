package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static io.github.amimaven.testing.PomBinder.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.deploy.Pruner;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.testing.ec2.Views;
import io.github.amimaven.verify.CheckResult;
import io.github.amimaven.verify.JUnitReports;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.testing.PomBinder;

/**
 * The goals as Maven runs them (bound from POM XML, options as {@code -D} sets them) against the EC2 test endpoint
 * through the real SDK: {@code ami:deploy} with {@code -Dami.candidate} and {@code -Dami.manifest} (a later CI stage),
 * {@code ami:verify} with {@code keepFailedCandidates}, and {@code ami:prune}.
 */
class DeployGoalsIT extends EndpointTest {

    static final String HOME = "ap-southeast-2";
    static final String PROJECT = "com.example:images";
    static final ObjectMapper JSON = new ObjectMapper();
    static int accounts;

    @TempDir
    Path basedir;
    AccountState account;

    @BeforeEach
    void newAccount() {
        String accessKey = "AKIDGOALS" + ++accounts;
        account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(100));
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
    }

    <T extends AbstractAmiMojo> T goal(T mojo, String configuration) throws Exception {
        mojo.project = PomBinder.project(basedir);
        mojo.threads = 4;
        mojo.maxAttempts = 10;
        mojo.resourceLifetime = "6h";
        return bind(mojo, "<region>" + HOME + "</region><endpoint>" + endpoint.uri() + "</endpoint>" + configuration);
    }

    /** A candidate as package left it, and verify if {@code status} says so. */
    String candidate(String image, String status) {
        String name = "candidate-" + image + "-2026010" + (account.images(HOME).size() + 1) + "-000000";
        return account.seedImage(new AccountState.ImageSeed(HOME, name).ownerId("self").tags(Map.of("ami:status", status,
                "ami:image", image, "ami:project", PROJECT, "Name", name)));
    }

    /** A manifest as package writes it, recording these candidates by image. */
    void writeManifest(Path file, Map<String, String> candidates) throws Exception {
        var images = JSON.createObjectNode();
        candidates.forEach((image, id) -> images.putObject(image).put("candidateId", id).put("platform", "ec2")
                .put("region", HOME).put("status", "candidate").put("imageName", imageName(id)));
        var root = JSON.createObjectNode().put("project", PROJECT + ":1.0.0");
        root.set("images", images);
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
    }

    String imageName(String id) {
        return own().stream().filter(i -> i.imageId().equals(id)).findFirst().orElseThrow().name();
    }

    List<Views.Image> own() {
        return account.images(HOME).stream().filter(i -> i.ownerId().equals(account.accountId())).toList();
    }

    String status(String id) {
        return own().stream().filter(i -> i.imageId().equals(id)).findFirst().map(i -> i.tags().get("ami:status"))
                .orElse("deleted");
    }

    JsonNode manifest() throws Exception {
        return JSON.readTree(basedir.resolve("target/ami/manifest.json").toFile());
    }

    // ---- ami:deploy ----

    @Test
    void dashDCandidatePromotesTheCandidatesItNamesAndOnlyThoseImages() throws Exception {
        String built = candidate("web", "verified");
        String earlier = candidate("web", "verified");
        String db = candidate("db", "verified");
        writeManifest(basedir.resolve("target/ami/manifest.json"), Map.of("web", built, "db", db));
        DeployMojo deploy = goal(new DeployMojo(), images(image("<name>web</name>"), image("<name>db</name>")));
        deploy.candidate = "web=" + earlier;
        deploy.execute();
        assertEquals("released", status(earlier));
        assertEquals("verified", status(built), "this build's candidate stays as it was");
        assertEquals("verified", status(db), "an image -Dami.candidate does not name is not deployed");
        assertEquals(earlier, manifest().path("images").path("web").path("releasedId").asText());
    }

    @Test
    void dashDManifestDeploysWhatAnEarlierStageBuilt() throws Exception {
        String web = candidate("web", "verified");
        Path downloaded = basedir.resolve("downloads/images-1.0.0.json");
        writeManifest(downloaded, Map.of("web", web));
        String before = Files.readString(downloaded);
        DeployMojo deploy = goal(new DeployMojo(), images(image("<name>web</name><deploy><promotion>copy</promotion>"
                + "<regions><region>us-east-1</region></regions></deploy>")));
        deploy.manifest = downloaded.toFile();
        deploy.execute();

        JsonNode released = manifest().path("images").path("web");
        assertEquals(web, released.path("candidateId").asText(), "this project's manifest starts from the one named");
        String releasedId = released.path("releasedId").asText();
        assertEquals("released", status(releasedId));
        assertEquals("deleted", status(web), "promoted by copy: the candidate is gone");
        assertEquals(Set.of(HOME, "us-east-1"), iterable(released.path("regions").fieldNames()));
        assertEquals(before, Files.readString(downloaded), "the manifest named is only read");
        assertEquals(2, account.requestCount("CopyImage"));

        DeployMojo missing = goal(new DeployMojo(), images(image("<name>web</name>")));
        missing.manifest = basedir.resolve("no-such.json").toFile();
        MojoFailureException e = assertThrows(MojoFailureException.class, missing::execute);
        assertTrue(e.getMessage().contains("-Dami.manifest: " + basedir.resolve("no-such.json") + " does not exist"),
                e.getMessage());
    }

    @Test
    void aFailedDeploySaysTheCommandThatResumesItAndThatCommandCopiesOnlyWhatFailed() throws Exception {
        String built = candidate("web", "verified");
        String named = candidate("web", "verified");
        writeManifest(basedir.resolve("target/ami/manifest.json"), Map.of("web", built));
        String config = images(image("<name>web</name><deploy><regions><region>us-east-1</region>"
                + "<region>us-west-2</region></regions></deploy>"));
        account.config().fail("CopyImage", "OptInRequired", "You are not subscribed to this service", 401, 1);
        DeployMojo first = goal(new DeployMojo(), config);
        first.candidate = named;
        MojoExecutionException e = assertThrows(MojoExecutionException.class, first::execute);
        assertTrue(e.getMessage().startsWith("Not deployed completely (once fixed, resume with mvn ami:deploy"
                + " -Dami.candidate=" + named + "):"), e.getMessage());
        assertEquals(2, account.requestCount("CopyImage"));

        DeployMojo resumed = goal(new DeployMojo(), config);
        resumed.candidate = named;
        resumed.execute();
        assertEquals(3, account.requestCount("CopyImage"), "only the failed region copied again");
        JsonNode web = manifest().path("images").path("web");
        assertEquals(named, web.path("releasedId").asText());
        assertEquals(Set.of(HOME, "us-east-1", "us-west-2"), iterable(web.path("regions").fieldNames()));
        assertEquals("verified", status(built), "this build's candidate was not what was resumed");
    }

    static Set<String> iterable(java.util.Iterator<String> names) {
        Set<String> out = new java.util.HashSet<>();
        names.forEachRemaining(out::add);
        return out;
    }

    // ---- ami:verify ----

    @Test
    void aFailedCandidateIsDeletedOrWithKeepFailedCandidatesKeptTaggedFailed() throws Exception {
        String kept = candidate("web", "candidate");
        String deleted = candidate("db", "candidate");
        Path target = basedir.resolve("target");
        writeManifest(target.resolve("ami/manifest.json"), Map.of("web", kept, "db", deleted));
        List<VerifierReport> failing = List.of(new VerifierReport("command (1 check)",
                List.of(CheckResult.failed("command", "port 80", "port 80", "closed", 0.1)), null));
        TestSummary.of(Map.of("web", failing, "db", failing)).write(target.resolve(JUnitReports.DIRECTORY));
        String config = images(image("<name>web</name>"), image("<name>db</name>"));
        String dbSnapshot = own().stream().filter(i -> i.imageId().equals(deleted)).findFirst().orElseThrow()
                .snapshotIds().get(0);

        VerifyMojo keeping = goal(new VerifyMojo(), config);
        keeping.keepFailedCandidates = true;
        assertThrows(MojoFailureException.class, keeping::execute);
        assertEquals("failed", status(kept));
        assertEquals("failed", status(deleted));
        assertEquals("failed", manifest().path("images").path("web").path("status").asText());

        VerifyMojo deleting = goal(new VerifyMojo(), config);
        assertThrows(MojoFailureException.class, deleting::execute);
        assertEquals("deleted", status(kept));
        assertEquals("deleted", status(deleted));
        assertTrue(account.snapshots(HOME).stream().noneMatch(s -> s.snapshotId().equals(dbSnapshot)),
                "deleted with its snapshots");
    }

    // ---- ami:prune ----

    @Test
    void pruneAppliesEachImagesRetentionAndADryRunOnlyLists() throws Exception {
        List<String> web = new ArrayList<>();
        List<String> db = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant created = Instant.now().minus(Duration.ofDays(10L * i + 1));
            web.add(account.seedImage(new AccountState.ImageSeed(HOME, "web-" + i).ownerId("self").creationDate(created)
                    .tags(Pruner.releaseTags(PROJECT, "web"))));
            db.add(account.seedImage(new AccountState.ImageSeed(HOME, "db-" + i).ownerId("self").creationDate(created)
                    .tags(Pruner.releaseTags(PROJECT, "db"))));
        }
        String config = images(image("<name>web</name><deploy><retention><keep>1</keep><maxAge>15d</maxAge></retention>"
                + "</deploy>"), image("<name>db</name>"));

        PruneMojo dry = goal(new PruneMojo(), config);
        dry.dryRun = true;
        dry.execute();
        assertEquals(8, own().size());
        assertEquals(0, account.requestCount("DeregisterImage"));

        goal(new PruneMojo(), config).execute();
        Set<String> left = own().stream().map(Views.Image::imageId).collect(Collectors.toSet());
        Set<String> expected = new java.util.HashSet<>(db);
        expected.addAll(List.of(web.get(0), web.get(1)));
        assertEquals(expected, left, "web: the newest and the one younger than 15d; db has no retention");
        assertEquals(2, account.requestCount("DeregisterImage"));
    }
}
