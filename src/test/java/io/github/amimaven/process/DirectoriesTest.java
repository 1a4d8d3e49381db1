package io.github.amimaven.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @TempDir
    Path tmp;

    @Test
    void deletesATreeWithItsFilesAndDirectories() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("work/vm-1/seed"));
        Files.writeString(root.resolve("user-data"), "#cloud-config\n");
        Files.writeString(tmp.resolve("work/vm-1/disk.qcow2"), "disk");
        Files.createDirectories(tmp.resolve("work/empty"));
        Directories.deleteRecursively(tmp.resolve("work"));
        assertFalse(Files.exists(tmp.resolve("work")));
        assertTrue(Files.exists(tmp));
    }

    @Test
    void whatDoesNotExistIsAlreadyDeleted() throws Exception {
        Directories.deleteRecursively(tmp.resolve("never-made"));
        Directories.deleteRecursively(null);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Directories.deleteRecursively(file);
        assertFalse(Files.exists(file));
    }

    @Test
    void linksAreRemovedNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.createSymbolicLink(work.resolve("link"), outside);
        Path linkedRoot = Files.createSymbolicLink(tmp.resolve("linked-root"), outside);
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("gone"));

        Directories.deleteRecursively(work);
        Directories.deleteRecursively(linkedRoot);
        Directories.deleteRecursively(dangling);

        assertFalse(Files.exists(work, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(linkedRoot, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(dangling, LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(outside.resolve("keep")));
    }
}
