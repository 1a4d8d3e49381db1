package io.github.amimaven.config;

import java.util.List;

/** {@code <ssh>}: how the build reaches its machines. */
public class SshConfig {

    /** Login user of the source image ({@code ec2-user}, {@code centos}, {@code ubuntu}, {@code debian}…). */
    private String user;

    /** SSH port. Default 22. */
    private Integer port;

    /** Which address to connect to: {@code public-ip}, {@code private-ip}, {@code public-dns}, {@code private-dns}. Default: the public IP if the machine has one, else the private IP. */
    private String address;

    /** How long to wait for SSH to answer after the machine runs, e.g. {@code 5m}. Default 5m. */
    private String timeout;

    /** Use this existing key pair instead of a temporary one (then also set privateKeyFile). */
    private String keyPairName;

    /** The private key of keyPairName, relative to the project directory. */
    private String privateKeyFile;

    /** CIDRs the temporary security group admits SSH from, e.g. {@code 203.0.113.7/32}. Never defaults to 0.0.0.0/0. */
    private List<String> allowedCidrs;

    /** Reach the machine through this jump host (ProxyJump). */
    private BastionConfig bastion;

    /**
     * Log in only when the machine's SSH host key is one of those its console output printed at boot (cloud-init's
     * "BEGIN SSH HOST KEY FINGERPRINTS" block, read with EC2 GetConsoleOutput); a mismatch fails the connection.
     * Waits for the block within the SSH timeout. Default false: the key a new machine presents is accepted.
     */
    private Boolean strictHostKeys;

    public String getUser() { return user; }
    public Integer getPort() { return port; }
    public String getAddress() { return address; }
    public String getTimeout() { return timeout; }
    public String getKeyPairName() { return keyPairName; }
    public String getPrivateKeyFile() { return privateKeyFile; }
    public List<String> getAllowedCidrs() { return allowedCidrs; }
    public BastionConfig getBastion() { return bastion; }
    public Boolean getStrictHostKeys() { return strictHostKeys; }

    public SshConfig user(String v) { user = v; return this; }
    public SshConfig port(Integer v) { port = v; return this; }
    public SshConfig allowedCidrs(List<String> v) { allowedCidrs = v; return this; }
    public SshConfig strictHostKeys(Boolean v) { strictHostKeys = v; return this; }

    /** Fields set here win; unset ones come from {@code defaults}. */
    SshConfig mergedOver(SshConfig defaults) {
        if (defaults == null) {
            return this;
        }
        SshConfig m = new SshConfig();
        m.user = user != null ? user : defaults.user;
        m.port = port != null ? port : defaults.port;
        m.address = address != null ? address : defaults.address;
        m.timeout = timeout != null ? timeout : defaults.timeout;
        m.keyPairName = keyPairName != null ? keyPairName : defaults.keyPairName;
        m.privateKeyFile = privateKeyFile != null ? privateKeyFile : defaults.privateKeyFile;
        m.allowedCidrs = allowedCidrs != null ? allowedCidrs : defaults.allowedCidrs;
        m.bastion = bastion != null ? bastion : defaults.bastion;
        m.strictHostKeys = strictHostKeys != null ? strictHostKeys : defaults.strictHostKeys;
        return m;
    }
}
