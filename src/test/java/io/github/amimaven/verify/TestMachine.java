package io.github.amimaven.verify;

import io.github.amimaven.testing.CollectingLog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import io.github.amimaven.process.Directories;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.remote.Ssh;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.sshd.LoopbackSshd;

/**
 * A machine under test for the verifier ITs: a real OpenSSH server on a loopback address, logged in to as the
 * unprivileged test account, plus a world-readable directory in /tmp for fixture files the checks look at.
 */
final class TestMachine implements AutoCloseable {

    final Path base;
    final Path fixtures;
    final LoopbackSshd sshd;
    final SshTarget target;
    final SshSession session;
    final CollectingLog log = new CollectingLog();

    private TestMachine(Path base, Path fixtures, LoopbackSshd sshd, SshTarget target, SshSession session) {
        this.base = base;
        this.fixtures = fixtures;
        this.sshd = sshd;
        this.target = target;
        this.session = session;
    }

    static TestMachine start(String address, String name) throws Exception {
        RequiredTool.sshd();
        SshKeys.GeneratedKey key = SshKeys.generate(name);
        Path base = ShortTemp.createDirectory(name + "-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fixtures = Files.createDirectories(base.resolve("fixtures"));
        Files.setPosixFilePermissions(fixtures, PosixFilePermissions.fromString("rwxr-xr-x"));
        LoopbackSshd sshd = null;
        try {
            sshd = LoopbackSshd.start(List.of(address), freePort(), key.publicKeyOpenSsh(), base.resolve("sshd"));
            SshTarget target = new SshTarget(address, sshd.port(), sshd.user(), key.privateKeyPem());
            // only what went wrong connecting is shown
            SshSession session = Ssh.connect(target, Duration.ofSeconds(30), new CollectingLog(line -> {
                if (line.startsWith("WARN ") || line.startsWith("ERROR ")) {
                    System.out.println(line);
                }
            }));
            return new TestMachine(base, fixtures, sshd, target, session);
        } catch (Exception | Error e) {
            if (sshd != null) {
                sshd.close();
            }
            Directories.deleteRecursively(base);
            throw e;
        }
    }

    /** A fixture file with the given mode, readable by the test account. */
    Path file(String name, String content, String mode) throws IOException {
        Path f = fixtures.resolve(name);
        Files.writeString(f, content);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    VerifyContext context(String image) throws IOException {
        return new VerifyContext(session, target, Files.createDirectories(base.resolve("work/" + image)),
                log.prefixed(image), image);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            session.close();
        } finally {
            sshd.close();
            Directories.deleteRecursively(base);
        }
    }
}
