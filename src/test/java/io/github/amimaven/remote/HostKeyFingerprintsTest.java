package io.github.amimaven.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class HostKeyFingerprintsTest {

    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMpAH4cGoaEMdnl5GyxA29tOMFjoblKWH2kk92GxJRrZ";

    /** The shape of an EC2 console after cloud-init's first boot on Amazon Linux / Ubuntu. */
    static String console(String fingerprints, String keys) {
        return "[    0.000000] Linux version 6.1.102-111.182.amzn2023.x86_64\n"
                + "[   12.345678] cloud-init[1234]: Cloud-init v. 22.2.2 finished\n"
                + "ec2: \n"
                + "ec2: #############################################################\n"
                + "ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\n"
                + fingerprints
                + "ec2: -----END SSH HOST KEY FINGERPRINTS-----\n"
                + "ec2: #############################################################\n"
                + "-----BEGIN SSH HOST KEY KEYS-----\n"
                + keys
                + "-----END SSH HOST KEY KEYS-----\n";
    }

    @Test
    void readsTheFingerprintsBlockAndTheKeysBlockOfTheLastBoot() {
        String firstBoot = console("ec2: 256 SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldoldo root@ip-10-0-0-5 (ED25519)\n", "");
        String reboot = console(
                "ec2: 256 SHA256:XNn4r3MNI6Gf9d2g+vE0bVc3a5cYAF7lTWmIHMgbmDE root@ip-10-0-0-5 (ECDSA)\n"
                        + "ec2: 3072 SHA256:3bY1lSaTTyKQk8Jr4kFgqvL3hx2dC+k0o2h+gUW0n8w root@ip-10-0-0-5 (RSA)\n",
                ED25519 + " root@ip-10-0-0-5\n");
        List<String> fingerprints = HostKeyFingerprints.parse(firstBoot + "[   80.1] reboot: Restarting system\n" + reboot);
        assertEquals(List.of("SHA256:XNn4r3MNI6Gf9d2g+vE0bVc3a5cYAF7lTWmIHMgbmDE", "SHA256:3bY1lSaTTyKQk8Jr4kFgqvL3hx2dC+k0o2h+gUW0n8w",
                SshKeys.fingerprint(ED25519)), fingerprints);
    }

    @Test
    void aConsoleWithoutTheBlocksOrWithAnUnfinishedOneShowsNone() {
        assertEquals(List.of(), HostKeyFingerprints.parse("[    0.0] Linux version\nlogin: "));
        assertEquals(List.of(), HostKeyFingerprints.parse(null));
        assertEquals(List.of(), HostKeyFingerprints.parse("ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----\n"
                + "ec2: 256 SHA256:XNn4r3MNI6Gf9d2g+vE0bVc3a5cYAF7lTWmIHMgbmDE root@x (ECDSA)\n"), "still being printed");
    }

    @Test
    void anExpectedListAcceptsAnyOfItsFingerprints() {
        String actual = SshKeys.fingerprint(ED25519);
        assertTrue(SshKeys.anyFingerprint("SHA256:XNn4r3MNI6Gf9d2g+vE0bVc3a5cYAF7lTWmIHMgbmDE " + actual, actual));
        assertTrue(SshKeys.anyFingerprint(actual.substring("SHA256:".length()) + "=", actual), "as people copy them");
        assertFalse(SshKeys.anyFingerprint("SHA256:XNn4r3MNI6Gf9d2g+vE0bVc3a5cYAF7lTWmIHMgbmDE", actual));
    }
}
