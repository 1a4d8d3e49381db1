package io.github.amimaven.testing.packer;

import io.github.amimaven.process.Directories;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.amimaven.process.ShortTemp;

/**
 * Runs Debian's {@code packer build} on a JSON template in an environment of its own: nothing inherited (no proxies,
 * no real credentials, no profile that could point elsewhere), a home under the run's directory, the debug log in
 * {@code packer.log} and the output in {@code packer.out}. Its temporary directory, where it binds its plugins' Unix
 * sockets, is under {@link ShortTemp#root()}: under the run's directory in a checkout with a long path (a Jenkins
 * workspace) the socket path outgrew 108 bytes and Packer failed with {@code bind: invalid argument}.
 */
public final class PackerBuild {

    public static final Path PACKER = Path.of("/usr/bin/packer");

    /**
     * How the build ended; {@code finished} is false when it was killed at the timeout. {@code lines} are the
     * output's lines, each with the time it arrived since the start.
     */
    public record Result(boolean finished, int exitCode, String output, Path log, Duration wall, List<TimedLine> lines) {

        /** When the first line containing {@code text} arrived, since the start. */
        public Optional<Duration> at(String text) {
            return lines.stream().filter(l -> l.line().contains(text)).findFirst().map(TimedLine::at);
        }

        /** From the first line containing {@code from} to the first containing {@code to}. */
        public Optional<Duration> between(String from, String to) {
            Optional<Duration> a = at(from);
            Optional<Duration> b = at(to);
            return a.isPresent() && b.isPresent() ? Optional.of(b.get().minus(a.get())) : Optional.empty();
        }
    }

    /** A line of output and when it arrived. */
    public record TimedLine(Duration at, String line) {
    }

    private PackerBuild() {
    }

    public static boolean installed() {
        return Files.isExecutable(PACKER);
    }

    /** AWS credentials for the EC2 test endpoint: the access key id selects the endpoint's account. */
    public static Map<String, String> awsEnvironment(String accessKeyId) {
        return Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_SHARED_CREDENTIALS_FILE", "/dev/null",
                "AWS_CONFIG_FILE", "/dev/null");
    }

    /**
     * The first lines of an amazon-ebs builder that builds against the EC2 test endpoint at {@code endpoint}: none of
     * Packer's checks of the region, the instance metadata or the credentials, which would ask AWS.
     */
    public static String amazonEbsAgainst(URI endpoint, String region) {
        return """
                "type": "amazon-ebs",
                "region": "%s",
                "custom_endpoint_ec2": "%s",
                "skip_region_validation": true,
                "skip_metadata_api_check": true,
                "skip_credential_validation": true,
                """.formatted(region, endpoint);
    }

    public static Result run(Path dir, String templateJson, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path template = dir.resolve("template.json");
        Files.writeString(template, templateJson);
        Path log = dir.resolve("packer.log");
        Path output = dir.resolve("packer.out");
        ProcessBuilder pb = new ProcessBuilder(PACKER.toString(), "build", "-color=false", "-timestamp-ui",
                template.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        Path tmp = ShortTemp.createDirectory("packer-");
        env.put("TMPDIR", tmp.toString());
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("PACKER_LOG", "1");
        env.put("PACKER_LOG_PATH", log.toString());
        env.putAll(environment);
        long start = System.nanoTime();
        Process packer;
        try {
            packer = pb.start();
        } catch (IOException e) {
            Directories.deleteRecursively(tmp);
            throw e;
        }
        List<TimedLine> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(packer.getInputStream(), StandardCharsets.UTF_8));
                    BufferedWriter out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(new TimedLine(Duration.ofNanos(System.nanoTime() - start), line));
                    out.write(line);
                    out.newLine();
                }
            } catch (IOException ignored) {
                // packer ended or was killed
            }
        }, "packer-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = packer.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            packer.descendants().forEach(ProcessHandle::destroyForcibly);
            packer.destroyForcibly();
            packer.waitFor(10, TimeUnit.SECONDS);
            Directories.deleteRecursively(tmp);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        reader.join(10_000);
        String out = String.join("\n", lines.stream().map(TimedLine::line).toList()) + "\n";
        return new Result(finished, finished ? packer.exitValue() : -1, out, log, wall, List.copyOf(lines));
    }
}
