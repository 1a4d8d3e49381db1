package io.github.amimaven.platform;

/**
 * A running machine and the addresses it can be reached at (any may be null).
 *
 * @param sshPort the port SSH answers on when the platform chooses it (local VMs forward a loopback port); null
 *     means the image's configured port
 */
public record Machine(String id, String publicIp, String privateIp, String publicDns, String privateDns,
        Integer sshPort) {

    public Machine(String id, String publicIp, String privateIp, String publicDns, String privateDns) {
        this(id, publicIp, privateIp, publicDns, privateDns, null);
    }
}
