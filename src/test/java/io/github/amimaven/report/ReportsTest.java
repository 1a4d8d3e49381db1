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

import io.github.amimaven.pipeline.ImageNamer;
import io.github.amimaven.pipeline.ImageResult;
import io.github.amimaven.pipeline.ImageSpec;
import io.github.amimaven.pipeline.LaunchOptions;
import io.github.amimaven.pipeline.ProjectInfo;
import io.github.amimaven.pipeline.Timeouts;
import io.github.amimaven.platform.SourceSpec;

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
}
