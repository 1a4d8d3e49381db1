package io.github.amimaven.config;

/** {@code <bastion>}: a jump host between the build machine and the instance. */
public class BastionConfig {

    /** Host name or address of the jump host. */
    private String host;

    /** SSH port of the jump host. Default 22. */
    private Integer port;

    /** Login user on the jump host. */
    private String user;

    /** Private key for the jump host, relative to the project directory. */
    private String privateKeyFile;

    public String getHost() { return host; }
    public Integer getPort() { return port; }
    public String getUser() { return user; }
    public String getPrivateKeyFile() { return privateKeyFile; }
}
