package io.github.amimaven.remote;

import io.github.amimaven.process.Directories;
import io.github.amimaven.testing.CollectingLog;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SSH layer against real OpenSSH servers on loopback addresses. */
class SshIT {

    private static final String USER = LoopbackSshd.defaultUser();
    private static SshKeys.GeneratedKey key;
    private static SshKeys.GeneratedKey otherKey;
    private static Path base;
    private static LoopbackSshd shared;
    private static SshSession session;

    private final List<LoopbackSshd> servers = Collections.synchronizedList(new ArrayList<>());
    private final CollectingLog log = new CollectingLog();

    @BeforeAll
    static void startSharedServer() throws Exception {
        RequiredTool.sshd();
        key = SshKeys.generate("sshit");
        otherKey = SshKeys.generate("sshit-other");
        base = ShortTemp.createDirectory("sshit-");
        shared = LoopbackSshd.start(List.of("127.0.0.7"), freePort(), key.publicKeyOpenSsh(), base.resolve("shared"));
        session = Ssh.connect(target("127.0.0.7", shared.port(), key), Duration.ofSeconds(30), new CollectingLog());
    }

    @AfterAll
    static void stopSharedServer() throws IOException {
        if (session != null) {
            session.close();
        }
        if (shared != null) {
            shared.close();
        }
        Directories.deleteRecursively(base);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(LoopbackSshd::close);
    }

    @Test
    void connectsOnceTheServerComesUpLate() throws Exception {
        int port = freePort();
        Thread late = new Thread(() -> {
            try {
                Thread.sleep(1500);
                start("127.0.0.11", port, key);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        late.start();
        try (SshSession s = Ssh.connect(target("127.0.0.11", port, key), Duration.ofSeconds(30), log)) {
            assertEquals(List.of("up"), run(s, "echo up").out);
        } finally {
            late.join();
        }
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("failed: connection refused")), log.lines()::toString);
    }

    /**
     * A port that accepts connections but stays silent while the machine boots (QEMU's user network does this) must
     * not hold an attempt for long: once the server talks, the login follows within a banner probe and a backoff
     * (before, each attempt waited 10 s on the silent connection).
     */
    @Test
    void connectsSoonOnceASilentPortStartsAnswering() throws Exception {
        LoopbackSshd server = start("127.0.0.15", freePort(), key);
        long start = System.nanoTime();
        long answersAfterMs = 3_000;
        List<java.net.Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.16"))) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        java.net.Socket client = silent.accept();
                        if (System.nanoTime() - start < answersAfterMs * 1_000_000) {
                            held.add(client);
                        } else {
                            forward(client, new java.net.Socket("127.0.0.15", server.port()));
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-then-forwarding");
            acceptor.setDaemon(true);
            acceptor.start();
            try (SshSession s = Ssh.connect(target("127.0.0.16", silent.getLocalPort(), key), Duration.ofSeconds(30), log)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                assertEquals(List.of("up"), run(s, "echo up").out);
                assertTrue(seconds < answersAfterMs / 1000.0 + 4, "logged in after " + seconds + " s");
            }
        } finally {
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("no SSH banner")), log.lines()::toString);
    }

    /** Copies bytes both ways between two sockets until either side closes. */
    private static void forward(java.net.Socket a, java.net.Socket b) {
        for (java.net.Socket[] pair : new java.net.Socket[][] {{a, b}, {b, a}}) {
            java.net.Socket from = pair[0];
            java.net.Socket to = pair[1];
            Thread pump = new Thread(() -> {
                try (from; to) {
                    from.getInputStream().transferTo(to.getOutputStream());
                } catch (IOException closed) {
                    // one side went away: both close
                }
            }, "forward");
            pump.setDaemon(true);
            pump.start();
        }
    }

    @Test
    void timesOutNamingTheAddressTheElapsedTimeAndTheLastError() {
        int port = freePort();
        long start = System.nanoTime();
        SshTimeoutException e = assertThrows(SshTimeoutException.class,
                () -> Ssh.connect(target("127.0.0.12", port, key), Duration.ofSeconds(2), log));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 1.9 && seconds < 6, "took " + seconds + " s");
        assertTrue(e.getMessage().contains(USER + "@127.0.0.12:" + port), e.getMessage());
        assertTrue(e.getMessage().matches(".*within [0-9]+\\.[0-9] s.*"), e.getMessage());
        assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
    }

    @Test
    void wrongKeyIsRetriedThenTimesOutNamingAuthentication() throws Exception {
        LoopbackSshd server = start("127.0.0.13", freePort(), key);
        SshTimeoutException e = assertThrows(SshTimeoutException.class,
                () -> Ssh.connect(target("127.0.0.13", server.port(), otherKey), Duration.ofSeconds(4), log));
        assertTrue(e.getMessage().contains("authentication"), e.getMessage());
        assertInstanceOf(SshAuthException.class, e.getCause());
        long attempts = log.lines().stream().filter(l -> l.contains("failed: authentication")).count();
        assertTrue(attempts >= 2, "attempts: " + attempts);
    }

    @Test
    void streamsStdoutAndStderrLinesAsTheyArrive() throws Exception {
        Output output = new Output();
        int status = session.exec("echo first; sleep 1; echo second >&2; sleep 0.3; printf 'third\\r\\nno newline \\342\\234\\223'",
                null, output::out, output::err);
        long end = System.nanoTime();
        assertEquals(0, status);
        assertEquals(List.of("out:first", "err:second", "out:third", "out:no newline \u2713"), output.all);
        assertTrue(end - output.firstAt > 700_000_000L, "the first line came only at the end");
    }

    @Test
    void returnsExitStatus() throws Exception {
        assertEquals(0, session.exec("true", null, l -> { }, l -> { }));
        assertEquals(3, session.exec("echo discarded; exit 3", null, null, null));
        Output output = run(session, "ls /nonexistent-dir");
        assertEquals(2, output.status);
        assertEquals(1, output.err.size(), output.err::toString);
    }

    @Test
    void deliversStdinThenEndOfFile() throws Exception {
        Output output = new Output();
        output.status = session.exec("cat", "line1\nline2\n".getBytes(StandardCharsets.UTF_8), output::out, output::err);
        assertEquals(List.of("line1", "line2"), output.out);

        assertEquals(List.of(), run(session, "cat").out, "no stdin must read as empty, not hang");

        byte[] big = new byte[300_000];
        Output count = new Output();
        session.exec("wc -c", big, count::out, count::err);
        assertEquals(List.of("300000"), count.out);
    }

    @Test
    void uploadsFilesAndTreesKeepingTheExecutableBit() throws Exception {
        Path tree = Files.createDirectories(base.resolve("local-tree"));
        Files.writeString(tree.resolve("a.txt"), "plain\n");
        Path script = Files.createDirectories(tree.resolve("sub")).resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho ran \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.write(Files.createDirectories(tree.resolve("sub/deeper")).resolve("data.bin"), new byte[] {0, 1, 2, (byte) 255});
        String remote = remoteDir("upload") + "/x/y";

        session.upload(tree, remote, null);

        Output check = run(session, "cd " + remote + " && test -x sub/run.sh && test ! -x a.txt"
                + " && stat -c %a sub/run.sh a.txt && sub/run.sh ok && od -An -tu1 sub/deeper/data.bin");
        assertEquals(0, check.status, check.err::toString);
        assertEquals(List.of("755", "644", "ran ok"), check.out.subList(0, 3));
        assertEquals("0 1 2 255", check.out.get(3).strip().replaceAll("\\s+", " "));

        String single = remoteDir("upload") + "/one/two/run.sh";
        session.upload(script, single, null);
        session.upload(script, single, null);
        assertEquals(List.of("ran again"), run(session, single + " again").out);
    }

    @Test
    void writesWithTheGivenModeAndReadsBack() throws Exception {
        String path = remoteDir("write") + "/a/b/secret.key";
        byte[] secret = "not really secret\n".getBytes(StandardCharsets.UTF_8);
        session.write(secret, path, 0600);
        assertEquals(List.of("600"), run(session, "stat -c %a " + path).out);
        assertArrayEquals(secret, session.read(path));

        run(session, "chmod 644 " + path);
        session.write("x".getBytes(StandardCharsets.UTF_8), path, 0700);
        assertEquals(List.of("700 1"), run(session, "stat -c '%a %s' " + path).out);

        String result = remoteDir("write") + "/result.json";
        run(session, "printf '{\"ok\": true}' > " + result);
        assertEquals("{\"ok\": true}", new String(session.read(result), StandardCharsets.UTF_8));

        SshException missing = assertThrows(SshException.class, () -> session.read(remoteDir("write") + "/missing"));
        assertFalse(missing instanceof SshDisconnectedException);
        assertTrue(missing.getMessage().contains("/missing"), missing.getMessage());
    }

    @Test
    void reportsADroppedConnectionDuringACommand() throws Exception {
        LoopbackSshd server = start("127.0.0.14", freePort(), key);
        try (SshSession s = Ssh.connect(target("127.0.0.14", server.port(), key), Duration.ofSeconds(30), log)) {
            long start = System.nanoTime();
            SshDisconnectedException e = assertThrows(SshDisconnectedException.class, () -> s.exec(
                    "echo started; sleep 30; echo finished", null,
                    line -> new Thread(server::close).start(), line -> { }));
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "noticed too late");
            assertTrue(e.getMessage().contains("127.0.0.14"), e.getMessage());
            assertFalse(s.isConnected());
        }
    }

    @Test
    void reachesTheTargetThroughABastion() throws Exception {
        LoopbackSshd bastion = start("127.0.0.15", freePort(), otherKey);
        LoopbackSshd target = start("127.0.0.16", freePort(), key);
        SshTarget via = target("127.0.0.15", bastion.port(), otherKey);
        SshTarget behind = new SshTarget("127.0.0.16", target.port(), USER, key.privateKeyPem(), via, null);

        try (SshSession s = Ssh.connect(behind, Duration.ofSeconds(30), log)) {
            String[] connection = run(s, "echo $SSH_CONNECTION").out.get(0).split(" ");
            assertEquals("127.0.0.16", connection[2]);
            // the target's peer socket belongs to the bastion's sshd, not to this JVM
            String owner = sh("ss", "-Htnp", "state", "established", "( sport = :" + connection[1] + " )");
            if (LoopbackSshd.isRoot()) { // only root sees other accounts' processes
                assertTrue(owner.contains("sshd") && !owner.contains("java"), owner);
            }
            s.upload(writeLocal("via-bastion.txt", "hop\n"), remoteDirOf(target, "b") + "/f.txt", null);
            assertEquals(List.of("hop"), run(s, "cat " + remoteDirOf(target, "b") + "/f.txt").out);

            bastion.close();
            long until = System.nanoTime() + 15_000_000_000L;
            while (s.isConnected() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertFalse(s.isConnected(), "losing the bastion must end the target session");
            assertThrows(SshException.class, () -> s.exec("true", null, l -> { }, l -> { }));
        }
    }

    @Test
    void noticesAFrozenTargetDirectlyAndBehindABastion() throws Exception {
        LoopbackSshd bastion = start("127.0.0.22", freePort(), otherKey);
        LoopbackSshd target = start("127.0.0.23", freePort(), key);
        SshTarget direct = target("127.0.0.23", target.port(), key);
        SshTarget behind = new SshTarget("127.0.0.23", target.port(), USER, key.privateKeyPem(),
                target("127.0.0.22", bastion.port(), otherKey), null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (SshSession a = Ssh.connect(direct, Duration.ofSeconds(30), log);
                SshSession b = Ssh.connect(behind, Duration.ofSeconds(30), log)) {
            List<Future<?>> running = new ArrayList<>();
            for (SshSession s : List.of(a, b)) {
                running.add(pool.submit(() -> assertThrows(SshDisconnectedException.class,
                        () -> s.exec("sleep 45", null, l -> { }, l -> { }))));
            }
            Thread.sleep(500);
            long frozenAt = System.nanoTime();
            signalTree(target, "STOP");
            try {
                for (Future<?> f : running) {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                // killed while frozen: once thawed, sshd would exit and leave the command orphaned
                signalTree(target, "KILL");
            }
            double seconds = (System.nanoTime() - frozenAt) / 1e9;
            assertTrue(seconds < 40, "noticed only after " + seconds + " s");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closingTheTargetSessionClosesTheBastionSession() throws Exception {
        LoopbackSshd bastion = start("127.0.0.17", freePort(), otherKey);
        LoopbackSshd target = start("127.0.0.18", freePort(), key);
        SshTarget behind = new SshTarget("127.0.0.18", target.port(), USER, key.privateKeyPem(),
                target("127.0.0.17", bastion.port(), otherKey), null);
        SshSession s = Ssh.connect(behind, Duration.ofSeconds(30), log);
        assertEquals(0, s.exec("true", null, l -> { }, l -> { }));
        assertEquals(1, established(bastion));
        s.close();
        long until = System.nanoTime() + 10_000_000_000L;
        while (established(bastion) > 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertEquals(0, established(bastion), bastion.log());
    }

    @Test
    void bastionWithWrongKeyTimesOutNamingTheBastion() {
        int port = freePort();
        SshTarget behind = new SshTarget("127.0.0.20", port, USER, key.privateKeyPem(),
                target("127.0.0.19", freePort(), otherKey), null);
        SshTimeoutException e = assertThrows(SshTimeoutException.class,
                () -> Ssh.connect(behind, Duration.ofSeconds(1), log));
        assertTrue(e.getMessage().contains("bastion " + USER + "@127.0.0.19"), e.getMessage());
    }

    @Test
    void checksTheHostKeyWhenAFingerprintIsGiven() throws Exception {
        String actual = SshKeys.fingerprint(Files.readString(shared.workDir().resolve("ssh_host_ed25519_key.pub")));
        SshTarget good = new SshTarget("127.0.0.7", shared.port(), USER, key.privateKeyPem(), null, actual);
        try (SshSession s = Ssh.connect(good, Duration.ofSeconds(30), log)) {
            assertEquals(List.of("ok"), run(s, "echo ok").out);
        }

        SshTarget wrong = new SshTarget("127.0.0.7", shared.port(), USER, key.privateKeyPem(), null,
                otherKey.fingerprint());
        long start = System.nanoTime();
        SshHostKeyException e = assertThrows(SshHostKeyException.class,
                () -> Ssh.connect(wrong, Duration.ofSeconds(30), log));
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "a wrong host key must not be retried");
        assertTrue(e.getMessage().contains(actual) && e.getMessage().contains(otherKey.fingerprint()), e.getMessage());
    }

    @Test
    void interruptsConnectAndExecPromptly() throws Exception {
        int port = freePort();
        assertInterruptedWithin(() -> Ssh.connect(target("127.0.0.21", port, key), Duration.ofSeconds(60), log));
        assertInterruptedWithin(() -> session.exec("sleep 37", null, l -> { }, l -> { }));
        assertEquals(List.of("still usable"), run(session, "echo still usable").out);
        long until = System.nanoTime() + 5_000_000_000L;
        while (run(session, "pgrep -x -f 'sleep 37'").status == 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertEquals(1, run(session, "pgrep -x -f 'sleep 37'").status, "an abandoned command is terminated");
    }

    @Test
    void sessionsRunInParallel() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (SshSession s = Ssh.connect(target("127.0.0.7", shared.port(), key), Duration.ofSeconds(30),
                            log.prefixed("image-" + n))) {
                        return run(s, "sleep 0.5; echo " + n).out;
                    }
                }));
            }
            for (int i = 0; i < 3; i++) {
                assertEquals(List.of(String.valueOf(i)), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers

    private static SshTarget target(String host, int port, SshKeys.GeneratedKey k) {
        return new SshTarget(host, port, USER, k.privateKeyPem());
    }

    private LoopbackSshd start(String address, int port, SshKeys.GeneratedKey authorized) throws IOException {
        LoopbackSshd server = LoopbackSshd.start(List.of(address), port, authorized.publicKeyOpenSsh(),
                base.resolve("sshd-" + address + "-" + port));
        servers.add(server);
        return server;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String remoteDir(String name) {
        return remoteDirOf(shared, name);
    }

    private static String remoteDirOf(LoopbackSshd server, String name) {
        return server.workDir().resolve("remote").resolve(name).toString();
    }

    private static Path writeLocal(String name, String content) throws IOException {
        return Files.writeString(Files.createDirectories(base.resolve("local")).resolve(name), content);
    }

    private static Output run(SshSession s, String command) throws Exception {
        Output output = new Output();
        output.status = s.exec(command, null, output::out, output::err);
        return output;
    }

    private static long established(LoopbackSshd server) throws Exception {
        String sockets = sh("ss", "-Htn", "state", "established",
                "( sport = :" + server.port() + " )");
        return sockets.lines().filter(l -> !l.isBlank()).count();
    }

    /** Sends a signal to a server's sshd and everything it started: STOP makes the machine vanish silently. */
    private static void signalTree(LoopbackSshd server, String signal) throws Exception {
        String config = server.workDir().resolve("sshd_config").toString();
        for (String pid : sh("pgrep", "-f", config).strip().split("\\s+")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(root -> {
                List<String> command = new ArrayList<>(List.of("kill", "-" + signal, pid));
                root.descendants().forEach(d -> command.add(String.valueOf(d.pid())));
                try {
                    sh(command.toArray(String[]::new));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    private static String sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static void assertInterruptedWithin(Callable<?> blocking) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                Object result = blocking.call();
                if (result instanceof AutoCloseable c) {
                    c.close();
                }
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        Thread.sleep(700);
        long interruptedAt = System.nanoTime();
        worker.interrupt();
        worker.join(10_000);
        assertFalse(worker.isAlive(), "still blocked after an interrupt");
        assertTrue(System.nanoTime() - interruptedAt < 2_000_000_000L, "interrupt took too long");
        assertNotNull(thrown.get());
        if (!(thrown.get() instanceof InterruptedException)) {
            fail("expected InterruptedException", thrown.get());
        }
    }

    private static final class Output {
        final List<String> all = new ArrayList<>();
        final List<String> out = new ArrayList<>();
        final List<String> err = new ArrayList<>();
        long firstAt;
        int status = -1;

        void out(String line) {
            stamp();
            out.add(line);
            all.add("out:" + line);
        }

        void err(String line) {
            stamp();
            err.add(line);
            all.add("err:" + line);
        }

        private void stamp() {
            if (all.isEmpty()) {
                firstAt = System.nanoTime();
            }
        }
    }
}
