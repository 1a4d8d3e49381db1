package io.github.amimaven.remote;

import java.util.Objects;

/**
 * Where to log in and with which key.
 *
 * @param privateKey                 PEM or OpenSSH format; copied, and never shown by {@link #toString()}
 * @param bastion                    when set, the target is reached through this host (like ProxyJump)
 * @param expectedHostKeyFingerprint {@code SHA256:...}, or several separated by spaces (a machine has a key of each
 *                                   type; the one the server presents must be among them); null accepts any host
 *                                   key, which suits instances launched for this build since they get new host keys
 *                                   every time
 */
public record SshTarget(String host, int port, String user, byte[] privateKey, SshTarget bastion,
                        String expectedHostKeyFingerprint) {

    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(privateKey, "privateKey");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        privateKey = privateKey.clone();
    }

    public SshTarget(String host, int port, String user, byte[] privateKey) {
        this(host, port, user, privateKey, null, null);
    }

    /** {@code user@host:port}, the form used in messages. */
    public String address() {
        return user + "@" + host + ":" + port;
    }

    @Override
    public String toString() {
        return bastion == null ? address() : address() + " via " + bastion;
    }
}
