package io.github.amimaven.testing.ec2;

import io.github.amimaven.testing.sshd.LoopbackSshd;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The lines cloud-init's {@code cc_keys_to_console} prints on EC2 at first boot, for an instance's sshd: the
 * fingerprints block (each line prefixed {@code ec2:}) and the public keys block, as GetConsoleOutput returns them.
 */
final class HostKeyConsole {

    /** Another ed25519 key than any sshd's: what a console shows when the machine answering SSH is not this one. */
    private static final String OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpAH4cGoaEMdnl5GyxA29tOMFjoblKWH2kk92GxJRrZ";

    private HostKeyConsole() {
    }

    static String blocks(LoopbackSshd sshd, AccountState.ConsoleHostKeys mode) {
        if (mode == AccountState.ConsoleHostKeys.NONE) {
            return "";
        }
        String key = mode == AccountState.ConsoleHostKeys.REAL ? sshd.hostPublicKey() : OTHER_KEY;
        String[] fields = key.split("\\s+");
        String host = "root@ip-" + sshd.addresses().get(0).replace('.', '-');
        return "ec2: \n"
                + "ec2: #############################################################\n"
                + "ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\n"
                + "ec2: 256 " + fingerprint(fields[1]) + " " + host + " (ED25519)\n"
                + "ec2: -----END SSH HOST KEY FINGERPRINTS-----\n"
                + "ec2: #############################################################\n"
                + "-----BEGIN SSH HOST KEY KEYS-----\n"
                + fields[0] + " " + fields[1] + " " + host + "\n"
                + "-----END SSH HOST KEY KEYS-----\n";
    }

    private static String fingerprint(String base64Blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Blob));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
