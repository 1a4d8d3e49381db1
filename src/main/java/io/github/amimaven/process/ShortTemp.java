package io.github.amimaven.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where temporary directories and files go that hold, or may hold, Unix sockets (QEMU's QMP socket, OpenSSH
 * connection masters of Ansible, Packer's plugin sockets in tests): a socket's path must fit in 107 bytes (108 on
 * Linux with the NUL, 104 on BSDs), and OpenSSH first binds its ControlPath with 17 more characters. The temp
 * directory given to the JVM may not leave room for that (Jenkins agents are often started with
 * {@code -Djava.io.tmpdir=<workspace>@tmp}), so the root is {@code java.io.tmpdir} only while it is at most
 * {@value #MAX_ROOT_LENGTH} characters long, else {@code /tmp}. Everything under the root has a random name made
 * by {@link Files#createTempDirectory}, and whoever makes it deletes it; the root is never deleted.
 */
public final class ShortTemp {

    /**
     * The longest root used as it is: the deepest socket under it ({@code ami-cp-<20 digits>/<10 hex>} plus
     * OpenSSH's 17 characters) then stays under 100 bytes.
     */
    static final int MAX_ROOT_LENGTH = 40;

    private static final Path FALLBACK = Path.of("/tmp");

    private ShortTemp() {
    }

    /** The root for this JVM: {@code java.io.tmpdir} when short, else {@code /tmp}. */
    public static Path root() {
        return root(System.getProperty("java.io.tmpdir"));
    }

    static Path root(String tmpdir) {
        if (tmpdir == null || tmpdir.isBlank()) {
            return FALLBACK;
        }
        Path dir = Path.of(tmpdir).toAbsolutePath().normalize();
        return dir.toString().length() <= MAX_ROOT_LENGTH ? dir : FALLBACK;
    }

    /** A new directory under the root, readable by its owner only, named {@code prefix<random>}. */
    public static Path createDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(root()), prefix);
    }

    /** A new file under the root, readable by its owner only, named {@code prefix<random>suffix}. */
    public static Path createFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(Files.createDirectories(root()), prefix, suffix);
    }
}
