package io.github.amimaven.steps;

import io.github.amimaven.pipeline.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.verify.VerifierReport;

/**
 * Placed right after the test instance's launch, so that its cleanup runs just before the instance would be
 * terminated: when the build failed or a check did not pass, the instance (and the firewall it needs) is left
 * running and the user is told how to log in, with the build's private key written next to the reports. A Ctrl-C
 * is not a failure to debug: then everything is removed as usual.
 */
final class KeepOnFailure implements Step<BuildContext> {

    @Override
    public String title() {
        return "Keeping the test instance if a check fails";
    }

    @Override
    public void run(BuildContext c) {
    }

    @Override
    public void cleanup(BuildContext c) {
        if (c.machineId == null || c.interrupted || !failed(c)) {
            return;
        }
        c.machineKept = true;
        c.platform().keepRunning(c.machineId);
        SshTarget target = c.sshTarget;
        String login;
        try {
            Path key = writeKey(c);
            login = target == null
                    ? "(SSH never connected; the key is " + key + ")"
                    : "ssh -i " + key + " -p " + target.port() + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
                            + target.user() + "@" + target.host();
        } catch (IOException e) {
            login = "(the private key could not be written: " + e.getMessage() + ")";
        }
        c.log().warn("KEEPING test instance " + c.machineId + " (keepOnFailure): " + login);
        c.log().warn("remove it when done: it keeps running" + (c.firewallId == null ? "" : ", with security group " + c.firewallId)
                + " (tagged ami:build-id=" + c.buildId() + ")");
    }

    private static boolean failed(BuildContext c) {
        if (c.failedStep != null) {
            return true;
        }
        synchronized (c.verifierReports) {
            return c.verifierReports.stream().anyMatch(r -> !r.succeeded());
        }
    }

    private static Path writeKey(BuildContext c) throws IOException {
        Path dir = Files.createDirectories(c.project().outputDirectory().resolve("ami").resolve("kept"));
        Path key = dir.resolve(c.image().name() + "-" + c.buildId() + ".pem");
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(key, c.privateKey);
        return key.toAbsolutePath();
    }
}
