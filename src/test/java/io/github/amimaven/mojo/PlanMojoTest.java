package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.testing.HostileInput;
import io.github.amimaven.testing.PomBinder;

/** {@code ami:plan} of local images, which needs no cloud, and its choice of images. */
class PlanMojoTest {

    @TempDir
    Path basedir;

    PlanMojo mojo(String onlyImages) throws Exception {
        Files.writeString(basedir.resolve("base.qcow2"), "a disk");
        PlanMojo mojo = new PlanMojo();
        mojo.project = PomBinder.project(basedir);
        mojo.threads = 4;
        mojo.maxAttempts = 10;
        mojo.onlyImages = onlyImages;
        mojo.clock = Clock.fixed(Instant.parse("2026-12-03T10:15:30Z"), ZoneOffset.UTC);
        String image = "<source><path>" + basedir.resolve("base.qcow2") + "</path></source><ssh><user>debian</user></ssh>"
                + "<provisioners><shell><inline><line>true</line></inline></shell></provisioners>";
        return PomBinder.bind(mojo, "<platform>local</platform><local><storeDirectory>"
                + basedir.resolve("store") + "</storeDirectory></local><images><image><name>web</name>" + image
                + "</image><image><name>db</name>" + image + "</image></images>");
    }

    @Test
    void aLocalImageIsPlannedFromItsSourceFileIntoTheStoreWithoutChangingIt() throws Exception {
        mojo(null).execute();
        JsonNode images = new ObjectMapper().readTree(basedir.resolve("target/ami/plan.json").toFile()).get("images");
        assertEquals(2, images.size());
        JsonNode web = images.get(0);
        assertEquals("local", web.get("platform").asText());
        assertEquals(basedir.resolve("base.qcow2").toString(), web.at("/source/id").asText());
        assertEquals("web-20261203-101530", web.get("candidateName").asText());
        assertEquals(web.get("location").asText(), web.at("/regions/0/region").asText());
        assertEquals(1, web.get("regions").size());
        assertTrue(web.at("/regions/0/sameName").isNull());
        Path storeDirectory = basedir.resolve("store");
        try (Stream<Path> store = Files.exists(storeDirectory) ? Files.list(storeDirectory) : Stream.empty()) {
            assertEquals(List.of(), store.toList(), "nothing written to the store");
        }
    }

    @Test
    void plansOnlyTheImagesNamed() throws Exception {
        mojo(" db ,").execute();
        JsonNode images = new ObjectMapper().readTree(basedir.resolve("target/ami/plan.json").toFile()).get("images");
        assertEquals(1, images.size());
        assertEquals("db", images.get(0).get("image").asText());
    }

    @HostileInput
    @Test
    void imagesThePomDoesNotDefineAreRefusedNamingTheChoice() throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo("db,api,cache").execute());
        assertEquals("-Dami.images names api, cache, which the POM does not define: choose among web, db", e.getMessage());
    }
}
