package io.github.amimaven.steps;

import io.github.amimaven.model.Timeouts;
import io.github.amimaven.pipeline.Waits;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.pipeline.Step;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.remote.HostKeyFingerprints;
import io.github.amimaven.remote.SshHostKeyException;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.remote.SshTimeoutException;

/** Waits until SSH answers on the chosen address and keeps the session for the provisioners. */
final class ConnectSsh implements Step<BuildContext> {

    private static final Duration CONSOLE_FIRST_POLL = Duration.ofMillis(500);
    private static final Duration CONSOLE_LONGEST_POLL = Duration.ofSeconds(15);

    @Override
    public String title() {
        return "Waiting for SSH";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        // from here on the build waits on the machine (SSH, cloud-init, provisioners, verifiers): a death ends the wait
        c.watchMachine();
        SshAccess ssh = c.image().ssh();
        String host = address(c.machine, ssh.address());
        int port = c.machine.sshPort() != null ? c.machine.sshPort() : ssh.port();
        SshTarget bastion = null;
        if (ssh.bastion() != null) {
            SshAccess.Bastion b = ssh.bastion();
            byte[] key = b.privateKeyFile() != null ? Files.readAllBytes(b.privateKeyFile()) : c.privateKey;
            Secrets.global().add(key);
            bastion = new SshTarget(b.host(), b.port(), b.user(), key, null, null);
        }
        long start = System.nanoTime();
        String hostKeys = ssh.strictHostKeys() ? String.join(" ", consoleHostKeys(c, ssh.timeout())) : null;
        SshTarget target = new SshTarget(host, port, ssh.user(), c.privateKey, bastion, hostKeys);
        c.log().info("connecting to " + ssh.user() + "@" + host + ":" + port
                + (bastion != null ? " via " + bastion.host() : "") + " (timeout " + Timeouts.describe(ssh.timeout())
                + ", " + Timeouts.SSH + ")");
        c.sshTarget = target;
        Duration left = ssh.timeout().minusNanos(System.nanoTime() - start);
        try {
            c.session = c.sshConnector().connect(target, left.isNegative() ? Duration.ofSeconds(1) : left, c.log());
        } catch (SshTimeoutException e) {
            throw new SshTimeoutException(e.getMessage() + ". Raise " + Timeouts.SSH + " (now "
                    + Timeouts.describe(ssh.timeout()) + ") if the machine boots slowly", e.getCause());
        }
        c.log().info("SSH answered after " + Waits.elapsed(start));
        if (c.image().isWindows()) {
            awaitPowerShell(c);
        } else {
            awaitCloudInit(c);
        }
    }

    /**
     * {@code <strictHostKeys>}: the fingerprints the machine printed to its console at boot, waited for within the
     * SSH timeout (EC2 updates the console output some time after the lines are printed).
     */
    static List<String> consoleHostKeys(BuildContext c, Duration timeout) throws SshHostKeyException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = CONSOLE_FIRST_POLL.toMillis();
        c.log().info("reading the SSH host key fingerprints " + c.machineId + " prints to its console (<strictHostKeys>)");
        while (true) {
            List<String> fingerprints = HostKeyFingerprints.parse(c.platform().consoleOutput(c.machineId).orElse(null));
            if (!fingerprints.isEmpty()) {
                c.log().info("host keys of " + c.machineId + " from its console: " + String.join(", ", fingerprints)
                        + "; SSH accepts only these");
                return fingerprints;
            }
            if (System.nanoTime() + pause * 1_000_000 > deadline) {
                throw new SshHostKeyException("the console output of " + c.machineId + " shows no SSH host key"
                        + " fingerprints after " + Timeouts.describe(timeout) + " (cloud-init prints them at first boot):"
                        + " raise " + Timeouts.SSH + ", or set <strictHostKeys>false</strictHostKeys> for an image that"
                        + " does not print them");
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, CONSOLE_LONGEST_POLL.toMillis());
        }
    }

    /**
     * Windows has no cloud-init: the default user data writes the key before it starts sshd, so a login that
     * succeeds means the setup is done. What the provisioners still need is PowerShell over the session.
     */
    private static void awaitPowerShell(BuildContext c) throws Exception {
        StringBuilder version = new StringBuilder();
        int status = c.session.exec(WindowsScripts.readinessProbe(), null, line -> version.append(line.strip()),
                c.log()::info);
        if (status != 0) {
            throw new IllegalStateException("Windows answered SSH but PowerShell did not run (exit " + status
                    + "; its output is above): check that the source image is Windows Server 2019 or later");
        }
        c.log().info("Windows is ready: PowerShell " + version);
    }

    /**
     * SSH answers before cloud-init has finished (users, packages, sshd restarts): provisioning starts only
     * when it is done. Machines without cloud-init pass at once.
     */
    private static void awaitCloudInit(BuildContext c) throws Exception {
        long start = System.nanoTime();
        int status = c.session.exec("if command -v cloud-init >/dev/null 2>&1; then cloud-init status --wait >/dev/null 2>&1;"
                + " else exit 200; fi", null, null, null);
        if (status != 200) {
            c.log().info("cloud-init finished after " + Waits.elapsed(start) + (status == 0 ? "" : " (status " + status + ")"));
        }
    }

    static String address(Machine m, SshAccess.AddressType type) {
        String value = switch (type) {
            case AUTO -> m.publicIp() != null ? m.publicIp() : m.privateIp();
            case PUBLIC_IP -> m.publicIp();
            case PRIVATE_IP -> m.privateIp();
            case PUBLIC_DNS -> m.publicDns();
            case PRIVATE_DNS -> m.privateDns();
        };
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("machine " + m.id() + " has no " + type.name().toLowerCase().replace('_', '-')
                    + " address: choose another <ssh><address>, or set <associatePublicIp>true</associatePublicIp>");
        }
        return value;
    }

    @Override
    public void cleanup(BuildContext c) {
        if (c.session != null) {
            c.session.close();
            c.session = null;
        }
    }
}
