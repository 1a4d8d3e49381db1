package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {

    private static LocalImage image(String id, String name, String created, String state) {
        return new LocalImage(id, name, "desc", "1.0", LocalImage.STATUS_CANDIDATE, state, Map.of("team", "a"),
                "/base.qcow2", created, id + ".qcow2", "qcow2", 42L, "ab", null);
    }

    @Test
    void roundTrip(@TempDir Path dir) throws Exception {
        ImageStore store = new ImageStore(dir);
        String id = ImageStore.newId();
        assertTrue(ImageStore.isImageId(id), id);
        LocalImage saved = store.save(image(id, "web", "2026-01-01T00:00:00Z", LocalImage.STATE_AVAILABLE));
        assertEquals(saved, store.findById(id).orElseThrow());
        String json = Files.readString(dir.resolve(id + ".json"));
        assertTrue(json.contains("\"status\" : \"candidate\""), json);
        assertTrue(json.contains("\"sha256\" : \"ab\""), json);
        assertFalse(json.contains("\"message\""), "nulls are left out: " + json);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temp files left");
        }
    }

    @Test
    void findByNameNewestFirstAvailableOnly(@TempDir Path dir) {
        ImageStore store = new ImageStore(dir);
        String a = ImageStore.newId();
        String b = ImageStore.newId();
        String c = ImageStore.newId();
        store.save(image(a, "web-1", "2026-01-01T00:00:00Z", LocalImage.STATE_AVAILABLE));
        store.save(image(b, "web-2", "2026-02-01T00:00:00.500Z", LocalImage.STATE_AVAILABLE));
        String d = ImageStore.newId();
        store.save(image(d, "web-0", "2026-02-01T00:00:00Z", LocalImage.STATE_AVAILABLE));
        store.save(image(c, "web-3", "2026-03-01T00:00:00Z", LocalImage.STATE_PENDING));
        assertEquals(b, store.findNewestByName("web-*").orElseThrow().id());
        assertEquals(a, store.findNewestByName("web-?1".replace("?", "")).orElseThrow().id());
        assertEquals(List.of(b, d, a), store.findByName("web*").stream().map(LocalImage::id).toList());
        assertTrue(store.findNewestByName("db-*").isEmpty());
        assertTrue(store.findById("img-0000000000000000").isEmpty());
        assertTrue(store.findById("../etc/passwd").isEmpty());
    }

    @Test
    void promotionAndTags(@TempDir Path dir) {
        ImageStore store = new ImageStore(dir);
        String id = ImageStore.newId();
        store.save(image(id, "web", "2026-01-01T00:00:00Z", LocalImage.STATE_AVAILABLE));
        assertEquals(LocalImage.STATUS_RELEASED, store.updateStatus(id, LocalImage.STATUS_RELEASED).status());
        assertEquals(LocalImage.STATUS_RELEASED, store.require(id).status());
        store.mergeTags(id, Map.of("env", "prod"));
        assertEquals(Map.of("team", "a", "env", "prod"), store.require(id).tags());
        store.updateTags(id, Map.of("x", "y"));
        assertEquals(Map.of("x", "y"), store.require(id).tags());
    }

    @Test
    void deleteIsIdempotent(@TempDir Path dir) throws Exception {
        ImageStore store = new ImageStore(dir);
        String id = ImageStore.newId();
        LocalImage img = store.save(image(id, "web", "2026-01-01T00:00:00Z", LocalImage.STATE_AVAILABLE));
        Files.writeString(store.diskFile(img), "disk");
        store.delete(id);
        store.delete(id);
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void sha256(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("f"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ImageStore.sha256(f));
    }
}
