package io.github.amimaven.remote;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSH host key fingerprints a machine prints to its console at boot, as cloud-init does on EC2:
 * <pre>
 * ec2: -----BEGIN SSH HOST KEY FINGERPRINTS-----
 * ec2: 256 SHA256:Xq0V… root@ip-10-0-0-5 (ED25519)
 * ec2: -----END SSH HOST KEY FINGERPRINTS-----
 * -----BEGIN SSH HOST KEY KEYS-----
 * ssh-ed25519 AAAAC3Nz… root@ip-10-0-0-5
 * -----END SSH HOST KEY KEYS-----
 * </pre>
 * Only the last boot's blocks count (a rebooted machine prints them again; the console keeps older boots).
 */
public final class HostKeyFingerprints {

    private static final String BEGIN_FINGERPRINTS = "-----BEGIN SSH HOST KEY FINGERPRINTS-----";
    private static final String END_FINGERPRINTS = "-----END SSH HOST KEY FINGERPRINTS-----";
    private static final String BEGIN_KEYS = "-----BEGIN SSH HOST KEY KEYS-----";
    private static final String END_KEYS = "-----END SSH HOST KEY KEYS-----";
    private static final Pattern SHA256 = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");
    private static final Pattern PUBLIC_KEY = Pattern.compile("((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+) ([A-Za-z0-9+/]+={0,3})");

    private HostKeyFingerprints() {
    }

    /** The {@code SHA256:…} fingerprints of the last boot's blocks; empty when the console shows none (yet). */
    public static List<String> parse(String console) {
        Set<String> fingerprints = new LinkedHashSet<>();
        if (console == null) {
            return List.of();
        }
        String block = lastBlock(console, BEGIN_FINGERPRINTS, END_FINGERPRINTS);
        if (block != null) {
            Matcher m = SHA256.matcher(block);
            while (m.find()) {
                fingerprints.add(m.group());
            }
        }
        String keys = lastBlock(console, BEGIN_KEYS, END_KEYS);
        if (keys != null) {
            Matcher m = PUBLIC_KEY.matcher(keys);
            while (m.find()) {
                try {
                    fingerprints.add(SshKeys.fingerprint(m.group(1) + " " + m.group(2)));
                } catch (IllegalArgumentException notBase64) {
                    // a garbled console line: the fingerprints block still counts
                }
            }
        }
        return List.copyOf(fingerprints);
    }

    private static String lastBlock(String console, String begin, String end) {
        int start = console.lastIndexOf(begin);
        if (start < 0) {
            return null;
        }
        int stop = console.indexOf(end, start);
        // a block still being written is not trusted until it is complete
        return stop < 0 ? null : console.substring(start + begin.length(), stop);
    }
}
