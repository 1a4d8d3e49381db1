package io.github.amimaven.remote;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A host key an SSH server presented to the plugin's own session, for the tools that connect by themselves
 * (ansible-playbook, pytest, rspec, inspec) to trust that key and no other.
 *
 * @param publicKey the key in OpenSSH form: {@code type base64}
 */
public record KnownHost(String host, int port, String publicKey) {

    /** The line of an OpenSSH known_hosts file: {@code [host]:port} as OpenSSH looks it up for ports other than 22. */
    public String line() {
        return (port == 22 ? host : "[" + host + "]:" + port) + " " + publicKey;
    }

    /** A known_hosts file's content. */
    public static String file(List<KnownHost> keys) {
        return keys.stream().map(k -> k.line() + "\n").collect(Collectors.joining());
    }
}
