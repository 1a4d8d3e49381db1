package io.github.amimaven.platform.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.github.amimaven.process.Directories;
import io.github.amimaven.process.LocalProcess;

/**
 * A cloud-init NoCloud seed: {@code meta-data} and {@code user-data} on an ISO 9660 volume labelled
 * {@code cidata}, attached to the VM as a read-only disk. cloud-init finds it by its label, creates the default
 * user ({@code debian} on Debian images, passwordless sudo) and authorizes the build's key for it.
 *
 * <p>The ISO is written by {@code genisoimage} (Debian package {@code genisoimage}), or {@code xorriso} or
 * {@code mkisofs} when that is what the machine has.</p>
 */
public final class NoCloudSeed {

    private final String instanceId;
    private final String hostname;
    private final String publicKey;
    private final String extraUserData;

    /**
     * @param instanceId cloud-init's instance id: a new one makes cloud-init run its per-instance modules again
     *        (users, keys, host keys), as on a fresh cloud instance
     * @param hostname the guest's host name
     * @param publicKey an OpenSSH public key to authorize for the default user, may be null
     * @param extraUserData the user's own user data (a {@code #cloud-config} or a script), may be null
     */
    public NoCloudSeed(String instanceId, String hostname, String publicKey, String extraUserData) {
        this.instanceId = instanceId;
        this.hostname = hostname;
        this.publicKey = publicKey == null ? null : publicKey.strip();
        this.extraUserData = extraUserData == null || extraUserData.isBlank() ? null : extraUserData;
    }

    public String metaData() {
        return "instance-id: " + instanceId + "\nlocal-hostname: " + hostname + "\n";
    }

    /** The platform's own cloud-config: the default user, with the key. */
    String baseCloudConfig() {
        StringBuilder b = new StringBuilder("#cloud-config\n");
        b.append("users:\n  - default\n");
        if (publicKey != null) {
            b.append("ssh_authorized_keys:\n  - ").append(yamlQuote(publicKey)).append('\n');
        }
        // no ssh_pwauth here: cloud-init would rewrite sshd_config and restart sshd on each new instance, cutting
        // the build's first SSH sessions; the images disable password logins themselves
        return b.toString();
    }

    /**
     * The user-data file: the platform's cloud-config alone, or, when the user gave user data, a MIME multipart
     * message of both (cloud-init merges the parts; a script part runs once at the end of the first boot).
     */
    public String userData() {
        String base = baseCloudConfig();
        if (extraUserData == null) {
            return base;
        }
        String boundary = "==AMI-MAVEN-PLUGIN-" + UUID.nameUUIDFromBytes(extraUserData.getBytes(StandardCharsets.UTF_8)) + "==";
        StringBuilder b = new StringBuilder();
        b.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\n");
        b.append("MIME-Version: 1.0\n\n");
        appendPart(b, boundary, "text/cloud-config", "platform.cfg", base);
        appendPart(b, boundary, contentType(extraUserData), "user-data", extraUserData);
        b.append("--").append(boundary).append("--\n");
        return b.toString();
    }

    private static void appendPart(StringBuilder b, String boundary, String type, String filename, String content) {
        b.append("--").append(boundary).append('\n');
        b.append("Content-Type: ").append(type).append("; charset=\"utf-8\"\n");
        b.append("MIME-Version: 1.0\n");
        b.append("Content-Transfer-Encoding: 8bit\n");
        b.append("Content-Disposition: attachment; filename=\"").append(filename).append("\"\n\n");
        b.append(content);
        if (!content.endsWith("\n")) {
            b.append('\n');
        }
    }

    /** The MIME type cloud-init gives user data by its first line. */
    static String contentType(String userData) {
        String first = userData.lines().findFirst().orElse("").strip();
        if (first.startsWith("#cloud-config")) {
            return "text/cloud-config";
        }
        if (first.startsWith("#!")) {
            return "text/x-shellscript";
        }
        if (first.startsWith("#cloud-boothook")) {
            return "text/cloud-boothook";
        }
        if (first.startsWith("#include")) {
            return "text/x-include-url";
        }
        return "text/x-shellscript";
    }

    private static String yamlQuote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Writes the seed ISO to {@code iso}, using a temporary directory beside it that is removed afterwards. */
    public void writeIso(Path iso) throws IOException, InterruptedException {
        List<String> tool = isoTool().orElseThrow(() -> new IOException(
                "no ISO 9660 tool found for the cloud-init seed: install genisoimage (apt-get install genisoimage)"));
        Path dir = Files.createTempDirectory(iso.toAbsolutePath().getParent(), ".seed-");
        try {
            Files.writeString(dir.resolve("meta-data"), metaData());
            Files.writeString(dir.resolve("user-data"), userData());
            List<String> cmd = new ArrayList<>(tool);
            cmd.addAll(List.of("-quiet", "-output", iso.toString(), "-volid", "cidata", "-joliet", "-rock",
                    dir.resolve("user-data").toString(), dir.resolve("meta-data").toString()));
            LocalProcess.output(cmd, java.time.Duration.ofSeconds(30));
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    /** The first ISO writer on the PATH, as the command prefix that gives it mkisofs-style options. */
    static Optional<List<String>> isoTool() {
        for (String t : List.of("genisoimage", "mkisofs")) {
            if (LocalProcess.onPath(t).isPresent()) {
                return Optional.of(List.of(t));
            }
        }
        if (LocalProcess.onPath("xorriso").isPresent()) {
            return Optional.of(List.of("xorriso", "-as", "mkisofs"));
        }
        return Optional.empty();
    }
}
