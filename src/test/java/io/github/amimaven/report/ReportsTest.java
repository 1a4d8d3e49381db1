package io.github.amimaven.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.deploy.ImageRelease;
import io.github.amimaven.deploy.LaunchTemplateVersion;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.SourceSpec;

class ReportsTest {

    @TempDir
    Path dir;

    static ImageResult result(String name, String id, Exception failure) {
        ImageSpec spec = new ImageSpec(name, "ec2", new SourceSpec("ami-0aaaaaaaaaaaaaaaa", null, null, null, null),
                new LaunchOptions("t3.micro", null, null, null, null, null, null, true, null), null, List.of(), Map.of(),
                ImageNamer.DEFAULT_TEMPLATE, null, Timeouts.defaults());
        return new ImageResult(spec, "ec2", "ap-southeast-2", "b1", "ami-0aaaaaaaaaaaaaaaa", "base", id,
                name + "-20261121-141502", List.of("snap-1"), Instant.EPOCH, Instant.EPOCH.plusSeconds(60),
                failure == null ? null : "Provisioning", failure, List.of(), List.of());
    }

    @Test
    void oneImage() throws Exception {
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", dir, dir.resolve("target"));
        Path manifest = Reports.writeCandidates(project, "b1", List.of(result("centos7-secure", "ami-0123", null)));
        ManifestSchema.assertMatches(manifest);
        JsonNode json = new ObjectMapper().readTree(manifest.toFile());
        assertEquals("com.example:images:1.0", json.get("project").asText());
        JsonNode image = json.get("images").get("centos7-secure");
        assertEquals("ami-0123", image.get("candidateId").asText());
        assertEquals("ap-southeast-2", image.get("region").asText());
        assertEquals("ami-0aaaaaaaaaaaaaaaa", image.get("sourceImageId").asText());
        assertEquals("candidate", image.get("status").asText());
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("target/ami/env.properties"))) {
            env.load(in);
        }
        assertEquals("ami-0123", env.getProperty("IMAGE_ID"));
        assertEquals("ami-0123", env.getProperty("IMAGE_ID_CENTOS7_SECURE"));
    }

    @Test
    void severalImagesGetOneVariableEachAndFailuresAreLeftOut() throws Exception {
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", dir, dir.resolve("target"));
        Reports.writeCandidates(project, "b1", List.of(result("web", "ami-1", null), result("db.v2", "ami-2", null),
                result("broken", null, new RuntimeException("x"))));
        String env = Files.readString(dir.resolve("target/ami/env.properties"));
        assertEquals("# written by ami-maven-plugin\nIMAGE_ID_DB_V2=ami-2\nIMAGE_ID_WEB=ami-1\n", env);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("target/ami/manifest.json").toFile());
        assertEquals(List.of("web", "db.v2"), iterable(json.get("images").fieldNames()));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    @Test
    void aReleaseIsRecordedInTheManifestAndEnvProperties() throws Exception {
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", dir, dir.resolve("target"));
        Reports.writeCandidates(project, "b1", List.of(result("web", "ami-0123", null), result("db", "ami-0456", null)));
        Map<String, String> regions = new java.util.LinkedHashMap<>();
        regions.put("ap-southeast-2", "ami-0999");
        regions.put("us-east-1", "ami-0e1");
        ImageRelease web = new ImageRelease("web", "ec2", "ap-southeast-2", ReleaseSpec.Promotion.COPY, "web-20261121-141502",
                "ami-0999", Instant.parse("2026-11-21T14:20:00Z"), regions,
                Map.of("777788889999", Map.of("us-east-1", "ami-0a1")),
                new ReleaseSpec.Sharing(List.of("111122223333"), List.of(), List.of(), true),
                Map.of("us-east-1", Map.of("/images/web/latest", "ami-0e1")),
                List.of(new LaunchTemplateVersion("ap-southeast-2", "lt-0123", "web", 4, true, "ami-0999", true)),
                Instant.parse("2027-05-20T14:20:00Z"), true, null, List.of());
        ImageRelease db = new ImageRelease("db", "ec2", "ap-southeast-2", ReleaseSpec.Promotion.TAG, null, null, null,
                Map.of(), Map.of(), ReleaseSpec.Sharing.NONE, Map.of(), List.of(), null, false, "candidate ami-0456 is failed",
                List.of());
        Path manifest = Reports.writeReleases(project, null, List.of(web, db));
        ManifestSchema.assertMatches(manifest);

        JsonNode json = new ObjectMapper().readTree(manifest.toFile());
        assertEquals("b1", json.get("buildId").asText(), "the build's record is kept");
        JsonNode w = json.get("images").get("web");
        assertEquals("ami-0123", w.get("candidateId").asText());
        assertEquals("released", w.get("status").asText());
        assertEquals("copy", w.get("promotion").asText());
        assertEquals("ami-0999", w.get("releasedId").asText());
        assertEquals("web-20261121-141502", w.get("releaseName").asText());
        assertEquals("ami-0e1", w.get("regions").get("us-east-1").asText());
        assertEquals("ami-0a1", w.get("accounts").get("777788889999").get("us-east-1").asText());
        assertEquals("{\"accounts\":[\"111122223333\"],\"organizations\":[],\"organizationalUnits\":[],"
                + "\"createVolumePermission\":true}", w.get("sharedWith").toString());
        assertEquals("ami-0e1", w.get("parameters").get("us-east-1").get("/images/web/latest").asText());
        JsonNode template = w.get("launchTemplates").get(0);
        assertEquals("lt-0123", template.get("launchTemplateId").asText());
        assertEquals(4, template.get("version").asInt());
        assertEquals(true, template.get("defaultVersion").asBoolean());
        assertEquals("2027-05-20T14:20:00Z", w.get("deprecateAt").asText());
        JsonNode d = json.get("images").get("db");
        assertEquals("candidate", d.get("status").asText(), "not promoted: unchanged");
        assertEquals(null, d.get("regions"));

        Properties env = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("target/ami/env.properties"))) {
            env.load(in);
        }
        assertEquals("ami-0999", env.getProperty("IMAGE_ID_WEB"), "the released id replaces the candidate's");
        assertEquals("ami-0e1", env.getProperty("IMAGE_ID_WEB_US_EAST_1"));
        assertEquals("ami-0456", env.getProperty("IMAGE_ID_DB"));
        assertEquals(null, env.getProperty("IMAGE_ID"), "two images: no unqualified IMAGE_ID");
    }

    @Test
    void aReleaseFromAnotherBuildsManifestStartsFromThatManifest() throws Exception {
        ProjectInfo earlier = new ProjectInfo("com.example", "images", "1.0", dir.resolve("stage1"), dir.resolve("stage1/target"));
        Path base = Reports.writeCandidates(earlier, "b7", List.of(result("web", "ami-0123", null)));
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", dir, dir.resolve("target"));
        ImageRelease web = new ImageRelease("web", "ec2", "ap-southeast-2", ReleaseSpec.Promotion.TAG, "web-20261121-141502",
                "ami-0123", Instant.EPOCH, Map.of("ap-southeast-2", "ami-0123"), Map.of(), ReleaseSpec.Sharing.NONE,
                Map.of(), List.of(), null, false, null, List.of());
        Path manifest = Reports.writeReleases(project, base, List.of(web));
        JsonNode json = new ObjectMapper().readTree(manifest.toFile());
        assertEquals(dir.resolve("target/ami/manifest.json"), manifest);
        assertEquals("b7", json.get("buildId").asText());
        assertEquals("released", json.get("images").get("web").get("status").asText());
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(dir.resolve("target/ami/env.properties"))) {
            env.load(in);
        }
        assertEquals("ami-0123", env.getProperty("IMAGE_ID"));
    }
}
