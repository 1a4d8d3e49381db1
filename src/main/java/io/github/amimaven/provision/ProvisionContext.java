package io.github.amimaven.provision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;

/**
 * What a provisioner works with: the current SSH session, where it leads, and a way to get a fresh session after
 * the machine rebooted.
 *
 * <p>{@link #log()} is already prefixed with the image's name; {@link #workId()} is unique per build and step, for
 * naming temporary files on the machine; {@link #workDir()} is a directory of this build machine, under the
 * project's {@code target/}, for the step's own temporary files (the provisioner creates and deletes it).</p>
 */
public final class ProvisionContext {

    /** Replaces a session that a reboot dropped. */
    @FunctionalInterface
    public interface Reconnector {

        /**
         * Closes the old session, waits until SSH answers again on the same target (retrying with backoff within
         * {@code timeout}), and returns the new session, which every later provisioner uses too.
         */
        SshSession reconnect(Duration timeout) throws SshException, InterruptedException;
    }

    private final BuildLog log;
    private final String workId;
    private final SshTarget target;
    private final Path workDir;
    private final Reconnector reconnector;
    private SshSession session;
    private boolean disconnected;
    private Map<String, String> buildEnvironment = Map.of();

    /** A context without reconnection or target details, for provisioners that need neither (and tests). */
    public ProvisionContext(SshSession session, BuildLog log, String workId) {
        this(session, log, workId, null, null, null);
    }

    /**
     * @param target      where the session leads; null when unknown
     * @param workDir     local directory for this step's temporary files; null when unknown
     * @param reconnector null when this context cannot reconnect
     */
    public ProvisionContext(SshSession session, BuildLog log, String workId, SshTarget target, Path workDir,
            Reconnector reconnector) {
        this.session = session;
        this.log = log;
        this.workId = workId;
        this.target = target;
        this.workDir = workDir;
        this.reconnector = reconnector;
    }

    /**
     * Values the build itself hands to script steps as environment variables (the Windows password): like
     * {@code <env>}, never on a command line and never logged.
     */
    public ProvisionContext withBuildEnvironment(Map<String, String> environment) {
        this.buildEnvironment = Map.copyOf(environment);
        return this;
    }

    public Map<String, String> buildEnvironment() {
        return buildEnvironment;
    }

    /** The current session: after {@link #reconnect} the new one. */
    public SshSession session() {
        return session;
    }

    public BuildLog log() {
        return log;
    }

    public String workId() {
        return workId;
    }

    /** Where SSH leads, with the key: for tools that connect by themselves (ansible-playbook). */
    public SshTarget target() {
        if (target == null) {
            throw new IllegalStateException("this provisioning context carries no SSH target");
        }
        return target;
    }

    public String host() {
        return target().host();
    }

    public int port() {
        return target().port();
    }

    public String user() {
        return target().user();
    }

    /** A copy of the private key's bytes (PEM or OpenSSH format). Never log it. */
    public byte[] privateKey() {
        return target().privateKey();
    }

    public Path workDir() {
        if (workDir == null) {
            throw new IllegalStateException("this provisioning context has no local work directory");
        }
        return workDir;
    }

    public boolean canReconnect() {
        return reconnector != null;
    }

    /** Closes the current session, waits for SSH again within {@code timeout}, and returns the new session. */
    public SshSession reconnect(Duration timeout) throws SshException, InterruptedException {
        if (reconnector == null) {
            throw new IllegalStateException("this provisioning context cannot reconnect");
        }
        session = reconnector.reconnect(timeout);
        disconnected = false;
        return session;
    }

    /**
     * Records that the session was dropped on purpose (a step rebooted the machine): the next provisioner gets a
     * fresh session.
     */
    public void markDisconnected() {
        disconnected = true;
    }

    /** True when the session was dropped on purpose and not replaced yet. */
    public boolean disconnected() {
        return disconnected;
    }
}
