package io.github.amimaven.verify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.OpenSshQuoting;
import io.github.amimaven.remote.SshTarget;

/**
 * The files a tool run on the build machine needs to log in by itself: the private key (created 0600 before
 * any byte of the key is written) and an OpenSSH client config for the host, under its address and the alias
 * {@link #HOST_ALIAS}, accepting only the host keys in its own known_hosts file (those the plugin's session saw),
 * with the bastion as a ProxyJump. Closing deletes them, so no key outlives the verifier.
 */
final class SshClientFiles implements AutoCloseable {

    static final String HOST_ALIAS = "ami-target";
    static final String BASTION_ALIAS = "ami-bastion";

    private final List<Path> files = new ArrayList<>();
    private final Path key;
    private final Path config;
    private final Path knownHosts;

    private SshClientFiles(Path key, Path config, Path knownHosts) {
        this.key = key;
        this.config = config;
        this.knownHosts = knownHosts;
    }

    /**
     * Writes the key (and the bastion's, if any), a known_hosts file of {@code hostKeys} and the config into
     * {@code dir}, named after {@code tool}.
     */
    static SshClientFiles write(SshTarget target, List<KnownHost> hostKeys, Path dir, String tool) throws VerifyException {
        try {
            Files.createDirectories(dir);
            SshClientFiles files = new SshClientFiles(dir.resolve(tool + "-id"), dir.resolve(tool + "-ssh_config"),
                    dir.resolve(tool + "-known_hosts"));
            try {
                files.writeSecret(files.key, target.privateKey());
                files.writeSecret(files.knownHosts, KnownHost.file(hostKeys).getBytes(StandardCharsets.UTF_8));
                StringBuilder c = new StringBuilder();
                if (target.bastion() != null) {
                    SshTarget b = target.bastion();
                    Path bastionKey = dir.resolve(tool + "-bastion-id");
                    files.writeSecret(bastionKey, b.privateKey());
                    c.append(hostBlock(BASTION_ALIAS, b, bastionKey, files.knownHosts, null));
                }
                c.append(hostBlock(HOST_ALIAS + " " + target.host(), target, files.key, files.knownHosts,
                        target.bastion() == null ? null : BASTION_ALIAS));
                files.writeSecret(files.config, c.toString().getBytes(StandardCharsets.UTF_8));
                return files;
            } catch (IOException | RuntimeException e) {
                files.close();
                throw e;
            }
        } catch (IOException e) {
            throw new VerifyException("cannot write the SSH key file for " + tool + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String hostBlock(String alias, SshTarget t, Path key, Path knownHosts, String proxyJump) {
        StringBuilder b = new StringBuilder("Host ").append(alias).append('\n')
                .append("  HostName ").append(t.host()).append('\n')
                .append("  Port ").append(t.port()).append('\n')
                .append("  User ").append(t.user()).append('\n')
                .append("  IdentityFile ").append(key).append('\n')
                .append("  IdentitiesOnly yes\n")
                .append("  BatchMode yes\n")
                .append("  StrictHostKeyChecking yes\n")
                .append("  UserKnownHostsFile ").append(OpenSshQuoting.file(knownHosts.toString())).append('\n')
                .append("  GlobalKnownHostsFile /dev/null\n")
                .append("  LogLevel ERROR\n");
        if (proxyJump != null) {
            b.append("  ProxyJump ").append(proxyJump).append('\n');
        }
        return b.toString();
    }

    /**
     * Writes another file only the build may read (0600 before any byte is written), deleted with the key, e.g.
     * inputs that must not go on a command line.
     */
    Path writeSecretFile(String name, byte[] content) throws IOException {
        Path file = key.resolveSibling(name);
        writeSecret(file, content);
        return file;
    }

    private void writeSecret(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        files.add(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(content);
        }
    }

    Path key() {
        return key;
    }

    Path config() {
        return config;
    }

    Path knownHosts() {
        return knownHosts;
    }

    @Override
    public void close() {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException ignored) {
                // best effort; the directory is under target/
            }
        }
    }
}
