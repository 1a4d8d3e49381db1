package io.github.amimaven.provision;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;

/**
 * Reboots the machine and carries on with a fresh session: issues the reboot command, takes the dropped
 * connection as expected, then reconnects until the machine answers with a new kernel boot id (Linux); on Windows,
 * waits until the machine went away (the old connection drops, or SSH refuses connections), then for SSH again.
 * All of it within {@code timeout}.
 */
public final class RebootProvisioner implements Provisioner {

    /** How the machine is told to reboot. */
    public enum Mode {
        /** Linux and other Unix: {@code shutdown -r now} through sudo, in the background after a second. */
        LINUX,
        /** Windows over OpenSSH: {@code shutdown /r} in 5 s, forced, recorded as a planned restart. */
        WINDOWS_RESTART
    }

    public static final String LINUX_COMMAND = "sudo sh -c '(sleep 1; shutdown -r now) >/dev/null 2>&1 &'";
    public static final String WINDOWS_RESTART_COMMAND = "shutdown /r /t 5 /f /d p:4:1 /c \"ami-maven-plugin\"";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private static final long POLL_MS = 250;
    private static final long PROBE_EVERY_MS = 1000;
    private static final long PROBE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MS);
    private static final String BOOT_ID = "/proc/sys/kernel/random/boot_id";

    private final Mode mode;
    private final String command;
    private final Duration timeout;

    /**
     * @param command the reboot command; null for the mode's default. It must return (or drop the connection)
     *                promptly: run the actual reboot in the background
     */
    public RebootProvisioner(Mode mode, String command, Duration timeout) {
        this.mode = mode == null ? Mode.LINUX : mode;
        this.command = command;
        this.timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    }

    /** The command that reboots the machine. */
    public String command() {
        if (command != null) {
            return command;
        }
        return mode == Mode.WINDOWS_RESTART ? WINDOWS_RESTART_COMMAND : LINUX_COMMAND;
    }

    public Duration timeout() {
        return timeout;
    }

    @Override
    public String describe() {
        return "reboot" + (mode == Mode.WINDOWS_RESTART ? " (windows-restart)" : "")
                + " (timeout " + timeout.toSeconds() + " s)";
    }

    @Override
    public void provision(ProvisionContext context) throws ProvisionException, InterruptedException {
        if (!context.canReconnect()) {
            throw new ProvisionException(describe() + ": this build cannot reconnect to the machine");
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String bootBefore = mode == Mode.LINUX ? bootId(context, deadline) : null;
        SshSession old = context.session();
        context.log().info("rebooting: " + command());
        try {
            int exit = old.exec(command(), null, context.log()::info, context.log()::info);
            if (exit != 0) {
                throw new ProvisionException("reboot command exited with " + exit + " (its output is above): "
                        + "check that the user may run it (sudo without a password), or set <command>");
            }
        } catch (SshDisconnectedException expected) {
            context.log().info("the connection dropped while the reboot command ran, as expected");
        } catch (SshException e) {
            throw new ProvisionException(describe() + ": the reboot command could not run: " + e.getMessage(), e);
        }
        if (bootBefore != null) {
            awaitNewBoot(context, bootBefore, start, deadline);
        } else {
            awaitGone(context, old, start, deadline);
            context.log().info("the machine went down after " + seconds(System.nanoTime() - start)
                    + "; waiting for SSH to answer again");
            reconnect(context, deadline);
        }
        context.log().info("rebooted: SSH answered again " + seconds(System.nanoTime() - start)
                + " after the reboot command");
    }

    /**
     * The kernel's boot id, which changes with every boot: comparing it is the one sure sign that the machine
     * rebooted. A session that died under an earlier step (a play that rebooted) is replaced first.
     */
    private String bootId(ProvisionContext context, long deadline) throws ProvisionException, InterruptedException {
        try {
            return readBootId(context.session());
        } catch (SshException e) {
            context.log().info("the SSH session is gone (" + e.getMessage() + "): reconnecting before the reboot");
            reconnect(context, deadline);
            try {
                return readBootId(context.session());
            } catch (SshException again) {
                throw new ProvisionException(describe() + ": cannot read the boot id: " + again.getMessage(), again);
            }
        }
    }

    private static String readBootId(SshSession session) throws SshException, InterruptedException {
        StringBuilder out = new StringBuilder();
        int exit = session.exec("cat " + BOOT_ID, null, out::append, null);
        String id = out.toString().strip();
        if (exit != 0 || id.isEmpty()) {
            throw new SshException("cat " + BOOT_ID + " exited with " + exit);
        }
        return id;
    }

    /** Reconnects until the machine answers with a new boot id; a still-running machine is polled again. */
    private void awaitNewBoot(ProvisionContext context, String before, long start, long deadline)
            throws ProvisionException, InterruptedException {
        while (true) {
            reconnect(context, deadline);
            try {
                String now = readBootId(context.session());
                if (!now.equals(before)) {
                    context.log().info("new boot " + now + " after " + seconds(System.nanoTime() - start));
                    return;
                }
            } catch (SshException e) {
                // went down under us: connect again
            }
            if (System.nanoTime() > deadline) {
                throw new ProvisionException("the machine did not reboot within " + timeout.toSeconds()
                        + " s of the reboot command (<reboot><timeout>): its boot id is unchanged."
                        + " Check the reboot command: " + command());
            }
            Thread.sleep(PROBE_EVERY_MS);
        }
    }

    private void reconnect(ProvisionContext context, long deadline) throws ProvisionException, InterruptedException {
        long left = deadline - System.nanoTime();
        try {
            context.reconnect(Duration.ofNanos(Math.max(left, TimeUnit.SECONDS.toNanos(1))));
        } catch (SshException e) {
            throw new ProvisionException("the machine did not answer SSH within " + timeout.toSeconds()
                    + " s of the reboot (<reboot><timeout>): " + e.getMessage(), e);
        }
    }

    /** Waits until the old connection drops or the SSH port refuses connections. */
    private void awaitGone(ProvisionContext context, SshSession old, long start, long deadline)
            throws ProvisionException, InterruptedException {
        SshTarget target = context.target();
        long nextProbe = System.nanoTime() + PROBE_EVERY_NANOS;
        while (old.isConnected()) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new ProvisionException("the machine did not go down within " + timeout.toSeconds()
                        + " s of the reboot command (<reboot><timeout>): the old SSH connection still answers."
                        + " Check the reboot command: " + command());
            }
            if (target.bastion() == null && now >= nextProbe) {
                nextProbe = now + PROBE_EVERY_NANOS;
                if (refused(target.host(), target.port())) {
                    context.log().debug("SSH port " + target.host() + ":" + target.port() + " refuses connections");
                    return;
                }
            }
            Thread.sleep(POLL_MS);
        }
        context.log().debug("the old SSH connection dropped after " + seconds(System.nanoTime() - start));
    }

    private static boolean refused(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }
}
