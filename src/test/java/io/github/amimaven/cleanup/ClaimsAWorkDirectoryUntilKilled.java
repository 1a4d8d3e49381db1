package io.github.amimaven.cleanup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JVM {@link WorkDirectoriesTest} kills outright: claims a build's work directory under {@code args[0]} (an
 * output directory), writes a key there as a step would, says so, and waits.
 */
public final class ClaimsAWorkDirectoryUntilKilled {

    private ClaimsAWorkDirectoryUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = WorkDirectories.ofBuild(Path.of(args[0]), args[1]);
        Files.createDirectories(dir.resolve("web-1"));
        Files.writeString(dir.resolve("web-1/id_key"), "a private key");
        System.out.println("claimed " + dir);
        System.out.flush();
        Thread.sleep(300_000);
    }
}
