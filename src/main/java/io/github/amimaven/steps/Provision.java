package io.github.amimaven.steps;

import io.github.amimaven.cleanup.WorkDirectories;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.amimaven.provision.ProvisionContext;
import io.github.amimaven.provision.Provisioner;
import io.github.amimaven.provision.TimeBoundProvisioner;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;

/**
 * Runs the image's provisioners in order over one shared SSH session. A provisioner that reboots the machine
 * replaces the session through its context's reconnector; one that drops it on purpose (a shell step with
 * {@code <expectDisconnect>}) marks it, and the next provisioner gets a fresh session.
 */
final class Provision implements Step<BuildContext> {

    @Override
    public String title() {
        return "Provisioning";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        List<Provisioner> provisioners = c.image().provisioners();
        boolean reconnectFirst = false;
        for (int i = 0; i < provisioners.size(); i++) {
            Provisioner p = provisioners.get(i);
            String workId = c.buildId() + "-" + c.image().name() + "-" + (i + 1);
            Path workDir = WorkDirectories.ofBuild(c.project().outputDirectory(), c.buildId())
                    .resolve(c.image().name() + "-" + (i + 1));
            ProvisionContext context = new ProvisionContext(c.session, c.log(), workId, c.sshTarget, workDir,
                    c.sshTarget == null ? null : timeout -> reconnect(c, timeout));
            if (c.windowsPassword != null) {
                context.withBuildEnvironment(Map.of(RetrieveWindowsPassword.ENVIRONMENT_VARIABLE, c.windowsPassword));
            }
            if (reconnectFirst) {
                c.log().info("a fresh SSH session: the previous step dropped the connection or may have rebooted the machine");
                context.reconnect(c.image().ssh().timeout());
            }
            c.log().info("--> [" + (i + 1) + "/" + provisioners.size() + "] " + p.describe());
            long start = System.nanoTime();
            try (BuildContext.Bound bound = p instanceof TimeBoundProvisioner b
                    ? c.bound(b.timeout(), "provisioner [" + (i + 1) + "/" + provisioners.size() + "] " + p.describe(),
                            b.setting()) : null) {
                p.provision(context);
            }
            reconnectFirst = context.disconnected();
            c.log().info("    done in " + Waits.elapsed(start));
        }
    }

    /** Closes the old session and waits for SSH on the same target again; the new session replaces it. */
    static SshSession reconnect(BuildContext c, Duration timeout) throws SshException, InterruptedException {
        if (c.session != null) {
            c.session.close();
            c.session = null;
        }
        long start = System.nanoTime();
        c.log().info("reconnecting to " + c.sshTarget + " (timeout " + timeout.toSeconds() + " s)");
        c.session = c.sshConnector().connect(c.sshTarget, timeout, c.log());
        c.log().info("SSH answered again after " + Waits.elapsed(start));
        return c.session;
    }
}
