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
import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ScriptedSsh;

/** The Provision step hands a fresh session to the provisioner after one that dropped the connection on purpose. */
class ProvisionReconnectTest {

    private static ShellProvisioner shell(boolean expectDisconnect) {
        return new ShellProvisioner("inline", "#!/bin/sh\ntrue\n".getBytes(StandardCharsets.UTF_8), Map.of(), false,
                Set.of(0), expectDisconnect);
    }

    /** The build's first session drops the connection at its first command; each reconnect gets a new session. */
    private static BuildContext context(List<Provisioner> provisioners, List<ScriptedSsh> connected) {
        ImageSpec base = CandidatePipelineTest.image();
        ImageSpec image = new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(), provisioners,
                base.tags(), base.nameTemplate(), base.description(), base.timeouts());
        BuildContext c = new BuildContext(image, null, CollectingLog.quiet(), "b1", CandidatePipelineTest.PROJECT)
                .withSshConnector((target, timeout, log) -> {
                    ScriptedSsh s = new ScriptedSsh();
                    connected.add(s);
                    return s;
                });
        c.session = new ScriptedSsh(command -> {
            throw new SshDisconnectedException("injected drop");
        });
        c.sshTarget = new SshTarget("192.0.2.10", 22, "centos", new byte[] {1});
        return c;
    }

    @Test
    void expectDisconnectIsSuccessAndTheNextProvisionerGetsAFreshSession() throws Exception {
        List<ScriptedSsh> connected = new ArrayList<>();
        List<SshSession> seen = new ArrayList<>();
        Provisioner probe = new Provisioner() {
            @Override public String describe() { return "probe"; }
            @Override public void provision(ProvisionContext context) {
                seen.add(context.session());
                assertEquals("192.0.2.10", context.host());
                assertTrue(context.workDir().endsWith(Path.of("ami-work", "b1", "web-2")), context.workDir().toString());
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
        List<ScriptedSsh> connected = new ArrayList<>();
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
