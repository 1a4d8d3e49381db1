package io.github.amimaven.testing.sshd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.amimaven.process.Directories;
import io.github.amimaven.process.ShortTemp;

/**
 * A real OpenSSH server standing in for an instance in tests. It listens only on loopback addresses and runs
 * as an unprivileged account (when the tests run as root, {@code runuser} drops to that account), so whatever a
 * provisioner does over it can never touch more of the host than that account may.
 *
 * <p>A {@code sudo} shim that runs its command unprivileged is first on the server's PATH, so provisioners can
 * use their sudo mode without the test account holding real privileges. Each use is appended to
 * {@code sudo.log} in the work directory.</p>
 */
public final class LoopbackSshd implements AutoCloseable {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final Path workDir;
    private final List<String> addresses;
    private final int port;
    private final String user;

    private LoopbackSshd(Process process, Path workDir, List<String> addresses, int port, String user) {
        this.process = process;
        this.workDir = workDir;
        this.addresses = addresses;
        this.port = port;
        this.user = user;
    }

    /** True when this machine can run the stand-in server (openssh-server installed). */
    public static boolean available() {
        return Files.isExecutable(SSHD);
    }

    /** The account tests log in as: {@code -Dami.it.sshUser}, else {@code amitest} as root, else the current user. */
    public static String defaultUser() {
        String configured = System.getProperty("ami.it.sshUser");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return isRoot() ? "amitest" : System.getProperty("user.name");
    }

    public static LoopbackSshd start(List<String> addresses, int port, String authorizedPublicKey, Path workDir)
            throws IOException {
        return start(addresses, port, List.of(authorizedPublicKey), workDir, defaultUser());
    }

    public static LoopbackSshd start(List<String> addresses, int port, List<String> authorizedPublicKeys,
            Path workDir, String user) throws IOException {
        for (String address : addresses) {
            if (!address.startsWith("127.")) {
                throw new IllegalArgumentException("test sshd binds loopback addresses only, not " + address);
            }
        }
        Files.createDirectories(workDir);
        Path hostKey = workDir.resolve("ssh_host_ed25519_key");
        if (!Files.exists(hostKey)) {
            run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        }
        Files.writeString(workDir.resolve("authorized_keys"), String.join("\n", authorizedPublicKeys) + "\n");
        Path bin = Files.createDirectories(workDir.resolve("bin"));
        Path sudo = bin.resolve("sudo");
        Files.writeString(sudo, "#!/bin/sh\n"
                + "echo \"sudo $*\" >> '" + workDir.resolve("sudo.log") + "'\n"
                + "while [ $# -gt 0 ]; do case \"$1\" in -u|-g) shift 2;; -*) shift;; *) break;; esac; done\n"
                + "exec \"$@\"\n");
        Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
        StringBuilder config = new StringBuilder();
        for (String address : addresses) {
            config.append("ListenAddress ").append(address).append(':').append(port).append('\n');
        }
        config.append("HostKey ").append(hostKey).append('\n')
                .append("AuthorizedKeysFile ").append(workDir.resolve("authorized_keys")).append('\n')
                .append("PidFile none\nUsePAM no\nStrictModes no\nPasswordAuthentication no\n")
                .append("KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n")
                .append("PubkeyAcceptedAlgorithms +ssh-rsa,rsa-sha2-256,rsa-sha2-512\n")
                .append("AllowUsers ").append(user).append('\n')
                .append("MaxStartups 100\nMaxSessions 50\nLogLevel INFO\n")
                .append("Subsystem sftp internal-sftp\n")
                .append("SetEnv PATH=").append(bin).append(":/usr/local/bin:/usr/bin:/bin\n");
        Path configFile = workDir.resolve("sshd_config");
        Files.writeString(configFile, config.toString(), StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>();
        if (isRoot() && !"root".equals(user)) {
            chownTree(workDir, user);
            command.addAll(List.of("runuser", "-u", user, "--"));
        }
        command.addAll(List.of(SSHD.toString(), "-D", "-e", "-f", configFile.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("sshd.log").toFile()))
                .start();
        LoopbackSshd sshd = new LoopbackSshd(process, workDir, List.copyOf(addresses), port, user);
        try {
            sshd.awaitListening(Duration.ofSeconds(10));
        } catch (IOException | RuntimeException e) {
            sshd.close();
            throw e;
        }
        return sshd;
    }

    private void awaitListening(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String address : addresses) {
            while (true) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 200);
                    break;
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IOException("sshd exited with " + process.exitValue() + ": " + log());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("sshd did not listen on " + address + ":" + port + ": " + log());
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                }
            }
        }
    }

    public List<String> addresses() {
        return addresses;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public Path workDir() {
        return workDir;
    }

    /** The server's host key as an OpenSSH public key line ({@code ssh-ed25519 AAAA… comment}). */
    public String hostPublicKey() {
        try {
            return Files.readString(workDir.resolve("ssh_host_ed25519_key.pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The server's own log: connections, authentications, disconnects. */
    public String log() {
        try {
            Path log = workDir.resolve("sshd.log");
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the work directory after {@link #close()}. */
    public void deleteWorkDir() throws IOException {
        Directories.deleteRecursively(workDir);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownTree(Path dir, String user) throws IOException {
        UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                Files.setOwner(p, owner);
            }
        }
        // the account must be able to reach the directory through its parents (those of the tests' own)
        Path root = ShortTemp.root();
        for (Path p = dir.getParent(); p != null && p.getNameCount() > 0; p = p.getParent()) {
            if (p.startsWith(root) && !p.equals(root)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
