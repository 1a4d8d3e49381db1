package io.github.amimaven.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRegistryTest {

    @TempDir
    Path dir;

    @Test
    void aRegisteredBuildRunsUntilItsRegistrationCloses() throws Exception {
        BuildRegistry registry = new BuildRegistry(dir);
        BuildRegistry.Registration r = registry.register("b1a2b3c4", "com.example:images");
        BuildRegistry.Status running = registry.status("b1a2b3c4");
        assertEquals(BuildRegistry.State.RUNNING, running.state());
        assertTrue(running.reason().contains("pid " + ProcessHandle.current().pid()), running.reason());
        r.close();
        r.close();
        BuildRegistry.Status ended = registry.status("b1a2b3c4");
        assertEquals(BuildRegistry.State.ENDED, ended.state());
        assertTrue(ended.reason().startsWith("build b1a2b3c4 ended at 20"), ended.reason());
    }

    @Test
    void aBuildWhoseJvmIsGoneDied() throws Exception {
        BuildRegistry registry = new BuildRegistry(dir);
        String owner = deadOwner();
        Files.writeString(dir.resolve("bdead.json"), "{\"buildId\":\"bdead\",\"project\":\"g:a\",\"owner\":\"" + owner
                + "\",\"started\":\"2026-01-01T00:00:00Z\"}");
        BuildRegistry.Status s = registry.status("bdead");
        assertEquals(BuildRegistry.State.ENDED, s.state());
        assertEquals("build bdead died: its JVM (pid " + owner.split(" ")[0] + ") is gone", s.reason());
        // this JVM's pid with another start time is a reused pid, not the build's JVM
        Files.writeString(dir.resolve("breused.json"), "{\"buildId\":\"breused\",\"owner\":\""
                + ProcessHandle.current().pid() + " 2001-01-01T00:00:00Z\"}");
        assertEquals(BuildRegistry.State.ENDED, registry.status("breused").state());
    }

    @Test
    void unknownAndHostileBuildIdsAreUnknownAndReadNothing() throws Exception {
        BuildRegistry registry = new BuildRegistry(dir.resolve("builds"));
        Files.writeString(dir.resolve("secret.json"), "{\"buildId\":\"x\",\"owner\":\"" + ProcessHandle.current().pid() + " -\"}");
        assertEquals(BuildRegistry.State.UNKNOWN, registry.status("b-elsewhere").state());
        assertEquals(BuildRegistry.State.UNKNOWN, registry.status("../secret").state());
        assertEquals(BuildRegistry.State.UNKNOWN, registry.status(null).state());
        assertThrows(IllegalArgumentException.class, () -> registry.register("../x", "g:a"));
        Files.createDirectories(dir.resolve("builds"));
        Files.writeString(dir.resolve("builds").resolve("bbroken.json"), "{not json");
        assertEquals(BuildRegistry.State.UNKNOWN, registry.status("bbroken").state());
    }

    @Test
    void recordsOfLongEndedBuildsArePrunedWhenABuildRegisters() throws Exception {
        BuildRegistry registry = new BuildRegistry(dir);
        registry.register("bold", "g:a").close();
        registry.register("brecent", "g:a").close();
        Files.setLastModifiedTime(dir.resolve("bold.json"),
                FileTime.from(Instant.now().minus(BuildRegistry.KEEP_ENDED).minus(Duration.ofDays(1))));
        try (BuildRegistry.Registration r = registry.register("bnew", "g:a")) {
            assertFalse(Files.exists(dir.resolve("bold.json")));
            assertTrue(Files.exists(dir.resolve("brecent.json")));
            assertEquals(BuildRegistry.State.RUNNING, registry.status(r.buildId()).state());
        }
    }

    /** A registry in {@code dir} that holds {@code deadBuildId}, a build whose JVM is gone. */
    static BuildRegistry withDeadBuild(Path dir, String deadBuildId) throws Exception {
        Files.writeString(dir.resolve(deadBuildId + ".json"), "{\"buildId\":\"" + deadBuildId + "\",\"owner\":\""
                + deadOwner() + "\"}");
        return new BuildRegistry(dir);
    }

    /** An owner that no longer runs: a finished process. */
    static String deadOwner() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid() + " " + Instant.now().minusSeconds(5);
    }
}
