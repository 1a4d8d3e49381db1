package io.github.amimaven.platform;

/** A running machine and the addresses it can be reached at (any may be null). */
public record Machine(String id, String publicIp, String privateIp, String publicDns, String privateDns) {
}
