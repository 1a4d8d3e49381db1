package io.github.amimaven.model;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the pipeline reaches a machine over SSH.
 *
 * @param keyPairName an existing key pair to use instead of a temporary one (then privateKeyFile is its key)
 * @param allowedCidrs sources the temporary firewall admits; never widened by the plugin
 * @param bastion a jump host, or null
 * @param strictHostKeys log in only to a machine whose host key is one its console output printed at boot
 */
public record SshAccess(String user, int port, AddressType address, Duration timeout, String keyPairName,
        Path privateKeyFile, List<String> allowedCidrs, Bastion bastion, boolean strictHostKeys) {

    public SshAccess {
        allowedCidrs = allowedCidrs == null ? List.of() : List.copyOf(allowedCidrs);
    }

    /** Host keys are accepted as the machine presents them (it was launched for this build, with new keys). */
    public SshAccess(String user, int port, AddressType address, Duration timeout, String keyPairName,
            Path privateKeyFile, List<String> allowedCidrs, Bastion bastion) {
        this(user, port, address, timeout, keyPairName, privateKeyFile, allowedCidrs, bastion, false);
    }

    /** The same access with another SSH timeout ({@code <timeouts><ssh>}). */
    public SshAccess withTimeout(Duration other) {
        return new SshAccess(user, port, address, other, keyPairName, privateKeyFile, allowedCidrs, bastion, strictHostKeys);
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
