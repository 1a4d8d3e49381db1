package io.github.amimaven.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.StandardProtocolFamily;

import org.junit.jupiter.api.Test;

class ShortTempTest {

    /** Where a Jenkins agent started with -Djava.io.tmpdir=<workspace>@tmp puts a job's temporary files. */
    private static final String JENKINS_TMP = "/var/lib/jenkins/workspace/images/debian-hardened-release-pipeline"
            + "/feature%2Fshort-temp-root-for-unix-sockets@tmp";

    @Test
    void aShortTempDirectoryIsTheRoot() {
        assertEquals(Path.of("/var/tmp"), ShortTemp.root("/var/tmp"));
        assertEquals(Path.of("/tmp"), ShortTemp.root("/tmp/"));
        String forty = "/tmp/" + "d".repeat(ShortTemp.MAX_ROOT_LENGTH - 5);
        assertEquals(Path.of(forty), ShortTemp.root(forty));
    }

    @Test
    void aLongTempDirectoryGivesWayToSlashTmp() {
        assertEquals(Path.of("/tmp"), ShortTemp.root(JENKINS_TMP));
        assertEquals(Path.of("/tmp"), ShortTemp.root("/tmp/" + "d".repeat(ShortTemp.MAX_ROOT_LENGTH - 4)));
        assertEquals(Path.of("/tmp"), ShortTemp.root(null));
    }

    /**
     * The deepest socket the plugin makes under the root, Ansible's connection master as OpenSSH first binds it,
     * fits under a root of the longest length used as it is: proved by binding it.
     */
    @Test
    void theDeepestSocketFitsUnderTheLongestRoot() throws Exception {
        Path base = ShortTemp.createDirectory("st-");
        try {
            Path root = base.resolve("r".repeat(ShortTemp.MAX_ROOT_LENGTH - base.toString().length() - 1));
            assertEquals(ShortTemp.MAX_ROOT_LENGTH, root.toString().length());
            Path controlDir = Files.createDirectories(root.resolve("ami-cp-" + "9".repeat(20)));
            Path socket = controlDir.resolve("0123456789" + ".XXXXXXXXXXXXXXXX");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                assertTrue(Files.exists(socket));
            } finally {
                Files.deleteIfExists(socket);
                Files.delete(controlDir);
                Files.delete(root);
            }
        } finally {
            Files.delete(base);
        }
    }

    @Test
    void directoriesAndFilesAreMadeUnderTheRootForTheirOwnerOnly() throws Exception {
        Path dir = ShortTemp.createDirectory("ami-st-");
        Path file = ShortTemp.createFile("ami-st-", ".out");
        try {
            assertEquals(ShortTemp.root(), dir.getParent());
            assertEquals(ShortTemp.root(), file.getParent());
            assertTrue(dir.getFileName().toString().startsWith("ami-st-"));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        } finally {
            Files.delete(dir);
            Files.delete(file);
        }
    }
}
