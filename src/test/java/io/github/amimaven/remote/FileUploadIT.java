package io.github.amimaven.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.process.Directories;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import io.github.amimaven.testing.HostileInput;

/**
 * Uploads ({@code <file>}, Pester's tests) through a real OpenSSH server on loopback, checked by commands over SSH
 * as the server's user: modes kept or set, links out of an uploaded directory refused, wildcards taken literally.
 */
class FileUploadIT {

    private static Path base;
    private static LoopbackSshd sshd;
    private static SshSession session;

    @BeforeAll
    static void startServer() throws Exception {
        RequiredTool.sshd();
        SshKeys.GeneratedKey key = SshKeys.generate("uploadit");
        base = ShortTemp.createDirectory("uploadit-");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        sshd = LoopbackSshd.start(List.of("127.0.0.23"), port, key.publicKeyOpenSsh(), base.resolve("sshd"));
        session = Ssh.connect(new SshTarget("127.0.0.23", port, LoopbackSshd.defaultUser(), key.privateKeyPem()),
                Duration.ofSeconds(30), new CollectingLog());
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (session != null) {
            session.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        Directories.deleteRecursively(base);
    }

    @Test
    void filesAndDirectoriesKeepTheirLocalModes() throws Exception {
        Path tree = Files.createDirectories(base.resolve("modes"));
        file(tree.resolve("secret.txt"), "rw-------");
        file(tree.resolve("run.sh"), "rwxr-x---");
        file(tree.resolve("plain.txt"), "rw-r--r--");
        Path privateDir = Files.createDirectories(tree.resolve("private"));
        file(privateDir.resolve("inner.txt"), "rw-r-----");
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
        Path remote = remote("modes");

        session.upload(tree, remote.toString(), null);

        assertEquals("rw-------", mode(remote.resolve("secret.txt")));
        assertEquals("rwxr-x---", mode(remote.resolve("run.sh")));
        assertEquals("rw-r--r--", mode(remote.resolve("plain.txt")));
        assertEquals("rwx------", mode(remote.resolve("private")));
        assertEquals("rw-r-----", mode(remote.resolve("private/inner.txt")));
        assertEquals("content of secret.txt", Files.readString(remote.resolve("secret.txt")));
    }

    @Test
    void anExplicitModeIsEveryUploadedFilesMode() throws Exception {
        Path single = file(base.resolve("explicit.txt"), "rw-r--r--");
        Path remote = remote("explicit/one.txt");

        session.upload(single, remote.toString(), 0640);

        assertEquals("rw-r-----", mode(remote));
        Path tree = Files.createDirectories(base.resolve("explicit-tree"));
        file(tree.resolve("a.sh"), "rwxrwxrwx");
        session.upload(tree, remote("explicit-tree").toString(), 0600);
        assertEquals("rw-------", mode(remote("explicit-tree/a.sh")));
    }

    @HostileInput
    @Test
    void aLinkOutOfAnUploadedDirectoryIsRefusedNamingItBeforeAnythingIsWritten() throws Exception {
        Path tree = Files.createDirectories(base.resolve("links"));
        file(tree.resolve("a.txt"), "rw-r--r--");
        Path outside = file(base.resolve("outside.txt"), "rw-r--r--");
        Path escape = Files.createSymbolicLink(tree.resolve("escape"), outside);
        Path remote = remote("links");

        SshException refused = assertThrows(SshException.class, () -> session.upload(tree, remote.toString(), null));

        assertTrue(refused.getMessage().contains("the link " + escape + " leads out of the uploaded directory"),
                refused.getMessage());
        assertEquals("absent", run("test -e " + remote + " && echo present || echo absent"), "nothing uploaded");

        Files.delete(escape);
        Files.createSymbolicLink(tree.resolve("inside"), Path.of("a.txt"));
        session.upload(tree, remote.toString(), null);
        assertEquals("content of a.txt", run("cat " + remote.resolve("inside")));
        assertEquals("file", run("test -L " + remote.resolve("inside") + " && echo link || echo file"),
                "a link inside is uploaded as what it points to");
    }

    @HostileInput
    @Test
    void aDestinationWithWildcardsIsCreatedLiterallyNextToAFileTheyWouldMatch() throws Exception {
        Path dir = remote("glob");
        run("mkdir -p " + dir + " && printf 'must stay' > '" + dir + "/axxbz[c]' && printf 'stays too' > " + dir + "/wyz");
        Path source = file(base.resolve("glob-source.txt"), "rw-r--r--");

        session.upload(source, dir.resolve("a*b?[c]").toString(), null);
        session.write("written\n".getBytes(), dir.resolve("w*?[x]").toString(), 0600);
        session.write("written\n".getBytes(), dir.resolve("w??").toString(), 0600);
        assertEquals("stays too", run("cat " + dir + "/wyz"));
        assertEquals("written", run("cat '" + dir + "/w??'"));

        assertEquals("must stay", run("cat '" + dir + "/axxbz[c]'"));
        assertEquals("stays too", run("cat " + dir + "/wyz"));
        assertEquals("content of glob-source.txt", run("cat '" + dir + "/a*b?[c]'"));
        assertEquals("written", run("cat '" + dir + "/w*?[x]'"));
        assertEquals("written\n", new String(session.read(dir.resolve("w*?[x]").toString())));
    }

    private static Path file(Path path, String mode) throws IOException {
        Files.writeString(path, "content of " + path.getFileName());
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    /** A path on the machine: the server's user writes there, and only commands over SSH read what it wrote. */
    private static Path remote(String relative) {
        return sshd.workDir().resolve("remote").resolve(relative);
    }

    private static String mode(Path remotePath) throws Exception {
        return run("stat -c %A " + remotePath).substring(1);
    }

    /** Runs a command on the machine; its stdout, lines joined, after checking that it succeeded. */
    private static String run(String command) throws Exception {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int status = session.exec(command, null, line -> out.append(out.length() > 0 ? "\n" : "").append(line), err::append);
        assertEquals(0, status, command + ": " + err);
        return out.toString();
    }
}
