package io.github.amimaven.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.testing.CollectingLog;

class WorkDirectoriesTest {

    @TempDir
    Path target;

    @Test
    void theDirectoryOfABuildKilledOutrightIsStaleAndThatOfARunningOneIsNot() throws Exception {
        Path killed = claimInAJvmKilledOutright("b-killed");
        Path running = WorkDirectories.ofBuild(target, "b-running");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(running)));
        assertEquals(running, WorkDirectories.ofBuild(target, "b-running"), "claimed once, used by every step");

        assertEquals(List.of(killed), WorkDirectories.stale(target));
        assertTrue(Files.exists(killed.resolve("web-1/id_key")), "listing deletes nothing");
        assertEquals(List.of(killed), WorkDirectories.removeStale(target));
        assertFalse(Files.exists(killed), "the killed build's key is gone");
        assertTrue(Files.isDirectory(running));
    }

    @Test
    void anUnclaimedDirectoryIsStaleOnceItIsAMinuteOld() throws Exception {
        Path old = Files.createDirectories(WorkDirectories.root(target).resolve("b7-web-1"));
        Files.writeString(old.resolve("extra-vars.json"), "{\"db_password\":\"left in clear\"}");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(WorkDirectories.UNCLAIMED_GRACE).minusSeconds(5)));
        Files.createDirectories(WorkDirectories.root(target).resolve("b8"));
        assertEquals(List.of(old), WorkDirectories.stale(target), "a build may be claiming b8 right now");
    }

    @Test
    void theNextBuildRemovesThemBeforeItStarts() throws Exception {
        Path killed = claimInAJvmKilledOutright("b-killed");
        CollectingLog log = CollectingLog.quiet();
        PlatformProvider none = new PlatformProvider() {
            @Override
            public Platform platformFor(ImageSpec image) {
                throw new AssertionError("no image to build");
            }

            @Override
            public void close() {
            }
        };
        ImageBuilds.run(List.of(), image -> List.of(), none, log, "b-next",
                new ProjectInfo("com.example", "images", "1.0", target.getParent(), target), 1);
        assertFalse(Files.exists(killed));
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("removed 1 work directory of builds that were killed")),
                log.lines().toString());
    }

    private Path claimInAJvmKilledOutright(String buildId) throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ClaimsAWorkDirectoryUntilKilled.class.getName(),
                target.toString(), buildId).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()))) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("claimed "), "the JVM claimed its directory: " + line);
            return Path.of(line.substring("claimed ".length()));
        } finally {
            jvm.destroyForcibly();
            assertTrue(jvm.waitFor(10, TimeUnit.SECONDS));
        }
    }
}
