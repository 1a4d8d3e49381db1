package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.amimaven.process.Directories;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.provision.Provisioner;
import io.github.amimaven.provision.RebootProvisioner;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.remote.Ssh;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.sshd.LoopbackSshd;

/**
 * Reboots simulated on a real sshd: a {@code shutdown} shim first on the server's PATH touches a file; the test
 * then stops the server (dropping every connection, like a machine going down) and starts it again about 2 s later
 * on the same address and port, with a new boot id (a {@code cat} shim answers for
 * {@code /proc/sys/kernel/random/boot_id}). The Provision step must see the drop and carry on over a fresh session.
 */
class RebootIT {

    private static final String ADDRESS = "127.0.0.43";

    private Path base;
    private SshKeys.GeneratedKey key;
    private volatile LoopbackSshd sshd;
    private Thread simulator;
    private final AtomicInteger reboots = new AtomicInteger();
    private volatile boolean stopping;
    private volatile Exception simulatorFailure;

    @BeforeEach
    void start() throws Exception {
        RequiredTool.sshd();
        key = SshKeys.generate("rebootit");
        base = ShortTemp.createDirectory("rebootit-");
        Path workDir = base.resolve("sshd");
        sshd = LoopbackSshd.start(List.of(ADDRESS), freePort(), key.publicKeyOpenSsh(), workDir);
        Path shim = workDir.resolve("bin/shutdown");
        Files.writeString(shim, "#!/bin/sh\n"
                + "echo \"shutdown $*\" >> '" + workDir.resolve("shutdown.log") + "'\n"
                + "touch '" + workDir.resolve("reboot-requested") + "'\n"
                // a real shutdown does not return before the machine goes down; the test kills this with the server
                + "sleep 5\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        // the kernel's boot id, which a reboot changes, is the simulator's to set
        Path bootId = workDir.resolve("boot_id");
        Files.writeString(bootId, UUID.randomUUID() + "\n");
        Path cat = workDir.resolve("bin/cat");
        Files.writeString(cat, "#!/bin/sh\n"
                + "if [ \"$1\" = /proc/sys/kernel/random/boot_id ]; then exec /bin/cat '" + bootId + "'; fi\n"
                + "exec /bin/cat \"$@\"\n");
        Files.setPosixFilePermissions(cat, PosixFilePermissions.fromString("rwxr-xr-x"));
        simulator = new Thread(this::simulateReboots, "reboot-simulator");
        simulator.setDaemon(true);
        simulator.start();
    }

    private void simulateReboots() {
        Path trigger = sshd.workDir().resolve("reboot-requested");
        try {
            while (!stopping) {
                if (Files.exists(trigger)) {
                    Files.delete(trigger);
                    LoopbackSshd down = sshd;
                    down.close();
                    Thread.sleep(2000);
                    if (stopping) {
                        return;
                    }
                    Files.writeString(down.workDir().resolve("boot_id"), UUID.randomUUID() + "\n");
                    sshd = LoopbackSshd.start(down.addresses(), down.port(), key.publicKeyOpenSsh(), down.workDir());
                    reboots.incrementAndGet();
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            simulatorFailure = e;
        }
    }

    @AfterEach
    void stop() throws Exception {
        stopping = true;
        if (simulator != null) {
            simulator.interrupt();
            simulator.join(10_000);
        }
        if (sshd != null) {
            sshd.close();
        }
        Directories.deleteRecursively(base);
    }

    private BuildContext context(List<Provisioner> provisioners, CollectingLog log) throws Exception {
        ImageSpec b = CandidatePipelineTest.image();
        ImageSpec image = new ImageSpec(b.name(), b.platform(), b.source(), b.launch(), b.ssh(), provisioners, b.tags(),
                b.nameTemplate(), b.description(), b.timeouts());
        BuildContext c = new BuildContext(image, null, log, "b1", CandidatePipelineTest.PROJECT);
        c.sshTarget = new SshTarget(ADDRESS, sshd.port(), sshd.user(), key.privateKeyPem());
        c.session = Ssh.connect(c.sshTarget, Duration.ofSeconds(30), log);
        return c;
    }

    private static ShellProvisioner shell(String line, boolean expectDisconnect) {
        return new ShellProvisioner("inline", ShellProvisioner.inlineScript("#!/bin/sh -e", List.of(line)), Map.of(),
                false, Set.of(0), expectDisconnect);
    }

    @Test
    void theRebootProvisionerSeesTheDropAndReconnects() throws Exception {
        String marker = "/tmp/ami-reboot-it-" + UUID.randomUUID();
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = context(List.of(new RebootProvisioner(null, null, Duration.ofSeconds(60)),
                shell("echo after-reboot > " + marker, false)), log);
        SshSession before = c.session;
        provision(c, log, () -> {
            assertEquals(1, reboots.get(), "the shim asked for one reboot");
            assertNotSame(before, c.session);
            assertTrue(c.session.isConnected());
            assertEquals("after-reboot\n", new String(c.session.read(marker), StandardCharsets.UTF_8));
            assertEquals("shutdown -r now\n", Files.readString(sshd.workDir().resolve("shutdown.log")));
            assertTrue(Files.readString(sshd.workDir().resolve("sudo.log")).contains("sudo sh -c"), "rebooted through sudo");
            assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("new boot ")), log.messages().toString());
            assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("rebooted: SSH answered again ")), log.messages().toString());
            c.session.exec("rm -f " + marker, null, null, null);
        });
    }

    /** The session died under an earlier step (a play that rebooted): the reboot still happens, on a fresh one. */
    @Test
    void aRebootOverADeadSessionReconnectsFirstAndStillReboots() throws Exception {
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = context(List.of(new RebootProvisioner(null, null, Duration.ofSeconds(60))), log);
        c.session.close();
        provision(c, log, () -> {
            assertEquals(1, reboots.get(), "rebooted once");
            assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("the SSH session is gone")), log.messages().toString());
            assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("new boot ")), log.messages().toString());
        });
    }

    @Test
    void aShellStepThatDropsTheConnectionWithExpectDisconnectIsFollowedOverAFreshSession() throws Exception {
        String marker = "/tmp/ami-expect-disconnect-it-" + UUID.randomUUID();
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = context(List.of(shell("sudo shutdown -r now", true),
                shell("echo after-disconnect > " + marker, false)), log);
        SshSession before = c.session;
        provision(c, log, () -> {
            assertEquals(1, reboots.get());
            assertNotSame(before, c.session);
            assertEquals("after-disconnect\n", new String(c.session.read(marker), StandardCharsets.UTF_8));
            assertTrue(log.messages().contains("the connection dropped, as expected (<expectDisconnect>)"), log.messages().toString());
            c.session.exec("rm -f " + marker, null, null, null);
        });
    }

    /** Checks of what a provisioning did, on the session it ended with. */
    private interface Checks {
        void run() throws Exception;
    }

    /**
     * Runs the Provision step, then {@code checks}; prints the log and closes the session whatever happened, and
     * fails when the reboot simulator did.
     */
    private void provision(BuildContext c, CollectingLog log, Checks checks) throws Exception {
        try {
            new Provision().run(c);
            checks.run();
        } finally {
            log.messages().forEach(l -> System.out.println("[it] " + l));
            if (c.session != null) {
                c.session.close();
            }
        }
        assertEquals(null, simulatorFailure);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
