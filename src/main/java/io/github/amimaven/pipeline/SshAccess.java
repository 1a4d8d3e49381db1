package io.github.amimaven.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the pipeline reaches a machine over SSH.
 *
 * @param keyPairName an existing key pair to use instead of a temporary one (then privateKeyFile is its key)
 * @param allowedCidrs sources the temporary firewall admits; never widened by the plugin
 * @param bastion a jump host, or null
 */
public record SshAccess(String user, int port, AddressType address, Duration timeout, String keyPairName,
        Path privateKeyFile, List<String> allowedCidrs, Bastion bastion) {

    public SshAccess {
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
    }

    /** The same access with another SSH timeout ({@code <timeouts><ssh>}). */
    public SshAccess withTimeout(Duration other) {
        return new SshAccess(user, port, address, other, keyPairName, privateKeyFile, allowedCidrs, bastion);
    }

    public enum AddressType {
        AUTO, PUBLIC_IP, PRIVATE_IP, PUBLIC_DNS, PRIVATE_DNS;

        public static AddressType fromPom(String value) {
            return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }

    public record Bastion(String host, int port, String user, Path privateKeyFile) {
    }
}
