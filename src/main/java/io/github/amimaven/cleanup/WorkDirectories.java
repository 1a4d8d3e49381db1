package io.github.amimaven.cleanup;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.amimaven.platform.ProcessOwner;
import io.github.amimaven.process.Directories;

/**
 * The build's private files on this machine, {@code target/ami-work/<build id>/}: keys, inventories and variable
 * files of the tools it runs, each step's own directory below. Every step deletes its files when it ends, but a
 * JVM killed outright ({@code kill -9}, a crash) deletes nothing: each build directory names the JVM that owns it
 * (pid and start time, {@link ProcessOwner}), and the next build or {@code ami:clean-orphans} removes those whose
 * JVM is gone.
 */
public final class WorkDirectories {

    static final String OWNER_FILE = "owner";

    /** A directory without an owner file may be one a running build has just made and not yet claimed. */
    static final Duration UNCLAIMED_GRACE = Duration.ofMinutes(1);

    private WorkDirectories() {
    }

    /** {@code target/ami-work}. */
    public static Path root(Path outputDirectory) {
        return outputDirectory.resolve("ami-work");
    }

    /** This build's directory, made on first use (0700, owned by this JVM). */
    public static synchronized Path ofBuild(Path outputDirectory, String buildId) throws IOException {
        Path dir = root(outputDirectory).resolve(buildId);
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException claimed) {
            if (Files.isRegularFile(dir.resolve(OWNER_FILE))) {
                return dir;
            }
        }
        // written whole before it appears, so a sweep never reads half an owner
        Path tmp = Files.createTempFile(dir, "." + OWNER_FILE, ".tmp");
        try {
            Files.writeString(tmp, ProcessOwner.current());
            try {
                Files.move(tmp, dir.resolve(OWNER_FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(OWNER_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return dir;
    }

    /**
     * The directories under {@code target/ami-work} left by builds whose JVM is gone, and those that no build
     * claims (left by an older version of the plugin) once they are a minute old.
     */
    public static List<Path> stale(Path outputDirectory) throws IOException {
        Path root = root(outputDirectory);
        List<Path> stale = new ArrayList<>();
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return stale;
        }
        Instant unclaimedBefore = Instant.now().minus(UNCLAIMED_GRACE);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Path owner = dir.resolve(OWNER_FILE);
                boolean gone = Files.isRegularFile(owner)
                        ? !ProcessOwner.isAlive(Files.readString(owner))
                        : Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(unclaimedBefore);
                if (gone) {
                    stale.add(dir);
                }
            }
        }
        return stale;
    }

    /** Deletes the {@link #stale} directories and returns them. */
    public static List<Path> removeStale(Path outputDirectory) throws IOException {
        List<Path> stale = stale(outputDirectory);
        for (Path dir : stale) {
            Directories.deleteRecursively(dir);
        }
        return stale;
    }
}
