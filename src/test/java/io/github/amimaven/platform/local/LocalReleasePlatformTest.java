package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.deploy.DeployRequest;
import io.github.amimaven.deploy.Deployer;
import io.github.amimaven.deploy.ImageRelease;
import io.github.amimaven.deploy.Pruner;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.testing.CollectingLog;

/** The deploy phase and retention on the local platform: a real image store, no VM needed. */
class LocalReleasePlatformTest {

    @TempDir
    Path store;

    LocalPlatform local;
    LocalReleasePlatform platform;
    final CollectingLog log = new CollectingLog();

    @BeforeEach
    void open() {
        local = new LocalPlatform(log, LocalPlatform.Options.defaults().withStoreDir(store));
        platform = new LocalReleasePlatform(local);
    }

    @AfterEach
    void close() {
        local.close();
    }

    String image(String name, String status, String created) throws Exception {
        String id = ImageStore.newId();
        local.store().save(new LocalImage(id, name, null, "1.0", status, LocalImage.STATE_AVAILABLE,
                Map.of("ami:image", "vm", "ami:project", "com.example:images", "ami:status", status), "/base.qcow2",
                created, id + ".qcow2", "qcow2", 4L, "ab", null));
        Files.writeString(store.resolve(id + ".qcow2"), "disk");
        return id;
    }

    ImageRelease deploy(String id, boolean force) throws InterruptedException {
        return new Deployer(d -> platform, Pipelines::release, log).deploy(new DeployRequest(List.of(new DeployRequest.ImageDeployment("vm",
                new DeployRequest.Candidate(id, null, "test"), ReleaseSpec.DEFAULT, Duration.ofSeconds(5))), force)).get(0);
    }

    @Test
    void aVerifiedCandidateIsReleasedInTheStore() throws Exception {
        String id = image("vm-20260101-000000", "verified", "2026-01-01T00:00:00Z");
        ImageRelease r = deploy(id, false);
        assertTrue(r.complete(), r.toString());
        assertEquals(Map.of(store.toString(), id), r.regions());
        LocalImage released = local.store().findById(id).orElseThrow();
        assertEquals("released", released.status());
        assertEquals("released", released.tags().get("ami:status"));
    }

    @Test
    void anUnverifiedCandidateIsRefused() throws Exception {
        String id = image("vm-20260101-000000", "candidate", "2026-01-01T00:00:00Z");
        ImageRelease r = deploy(id, false);
        assertFalse(r.promoted());
        assertTrue(r.refused().contains("not verified"), r.refused());
        assertEquals("candidate", local.store().findById(id).orElseThrow().status());
    }

    @Test
    void pruneKeepsTheNewestAndDeletesTheRestWithTheirDisks() throws Exception {
        List<String> ids = List.of(image("vm-4", "released", "2026-04-01T00:00:00Z"),
                image("vm-3", "released", "2026-03-01T00:00:00Z"), image("vm-2", "released", "2026-02-01T00:00:00Z"),
                image("vm-1", "released", "2026-01-01T00:00:00Z"));
        String candidate = image("vm-5", "verified", "2026-05-01T00:00:00Z");
        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(new Pruner.ImagePrune("vm",
                "com.example:images", new ReleaseSpec.Retention(2, null), List.of())), false);
        assertEquals(List.of(ids.get(2), ids.get(3)), outcome.deleted().stream().map(d -> d.released().id()).toList());
        assertEquals(List.of(candidate, ids.get(0), ids.get(1)), local.store().list().stream().map(LocalImage::id).toList());
        assertFalse(Files.exists(store.resolve(ids.get(3) + ".qcow2")));
    }
}
