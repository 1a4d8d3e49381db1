package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.amimaven.provision.ProvisionContext;
import io.github.amimaven.provision.ProvisionException;
import io.github.amimaven.provision.Provisioner;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.remote.LineSink;
import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;

/** The Provision step hands a fresh session to the provisioner after one that dropped the connection on purpose. */
class ProvisionReconnectTest {

    /** A session whose commands drop the connection when told to. */
    static final class DroppingSession implements SshSession {
        final List<String> commands = new ArrayList<>();
        boolean dropOnExec;
        boolean closed;

        @Override
        public int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr) throws SshDisconnectedException {
            commands.add(command);
            if (dropOnExec) {
                closed = true;
                throw new SshDisconnectedException("injected drop");
            }
            return 0;
        }

        @Override public void upload(Path local, String remotePath) { }
        @Override public void write(byte[] content, String remotePath, int mode) { }
        @Override public byte[] read(String remotePath) { return new byte[0]; }
        @Override public boolean isConnected() { return !closed; }
        @Override public void close() { closed = true; }
    }

    private static ShellProvisioner shell(boolean expectDisconnect) {
        return new ShellProvisioner("inline", "#!/bin/sh\ntrue\n".getBytes(StandardCharsets.UTF_8), Map.of(), false,
                Set.of(0), expectDisconnect);
    }

    private static BuildContext context(List<Provisioner> provisioners, List<DroppingSession> connected) {
        ImageSpec base = CandidatePipelineTest.image();
        ImageSpec image = new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(), provisioners,
                base.tags(), base.nameTemplate(), base.description(), base.timeouts());
        BuildContext c = new BuildContext(image, null, CollectingLog.quiet(), "b1", CandidatePipelineTest.PROJECT)
                .withSshConnector((target, timeout, log) -> {
                    DroppingSession s = new DroppingSession();
                    connected.add(s);
                    return s;
                });
        DroppingSession first = new DroppingSession();
        first.dropOnExec = true;
        c.session = first;
        c.sshTarget = new SshTarget("192.0.2.10", 22, "centos", new byte[] {1});
        return c;
    }

    @Test
    void expectDisconnectIsSuccessAndTheNextProvisionerGetsAFreshSession() throws Exception {
        List<DroppingSession> connected = new ArrayList<>();
        List<SshSession> seen = new ArrayList<>();
        Provisioner probe = new Provisioner() {
            @Override public String describe() { return "probe"; }
            @Override public void provision(ProvisionContext context) {
                seen.add(context.session());
                assertEquals("192.0.2.10", context.host());
                assertTrue(context.workDir().endsWith(Path.of("ami-work", "b1-web-2")), context.workDir().toString());
            }
        };
        BuildContext c = context(List.of(shell(true), probe), connected);
        SshSession first = c.session;
        new Provision().run(c);
        assertEquals(1, connected.size(), "reconnected once");
        assertSame(connected.get(0), seen.get(0));
        assertSame(connected.get(0), c.session, "the build keeps the new session, and its cleanup closes it");
        assertNotSame(first, c.session);
    }

    @Test
    void anUnexpectedDropFailsNamingTheSetting() {
        BuildContext c = context(List.of(shell(false)), new ArrayList<>());
        ProvisionException e = assertThrows(ProvisionException.class, () -> new Provision().run(c));
        assertTrue(e.getMessage().contains("<expectDisconnect>true</expectDisconnect>"), e.getMessage());
    }

    @Test
    void aProvisionerMayReconnectItself() throws Exception {
        List<DroppingSession> connected = new ArrayList<>();
        Provisioner rebooter = new Provisioner() {
            @Override public String describe() { return "rebooter"; }
            @Override public void provision(ProvisionContext context) throws InterruptedException, ProvisionException {
                SshSession old = context.session();
                try {
                    assertSame(context.reconnect(java.time.Duration.ofSeconds(5)), context.session());
                } catch (io.github.amimaven.remote.SshException e) {
                    throw new ProvisionException(e.getMessage(), e);
                }
                assertTrue(!old.isConnected(), "the old session is closed");
            }
        };
        BuildContext c = context(List.of(rebooter, shell(false)), connected);
        new Provision().run(c);
        assertEquals(1, connected.size());
        assertEquals(1, connected.get(0).commands.size(), "the next shell ran on the new session");
    }
}
