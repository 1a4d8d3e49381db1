package io.github.amimaven.testing.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packer's amazon-ebs builder (Debian's packer 1.6.6, built on aws-sdk-go v1) run against the endpoint: a
 * second, independent client whose expectations of the EC2 protocol the endpoint must meet.
 */
class PackerCompatibilityIT {

    private static final Path PACKER = Path.of("/usr/bin/packer");
    private static final String REGION = "ap-southeast-2";
    private static final String DEBIAN = "136693071363";

    private static Ec2TestEndpoint endpoint;

    @BeforeAll
    static void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(PACKER), "packer not installed: apt-get install packer");
        endpoint = Ec2TestEndpoint.start();
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void amazonEbsBuildWithoutCommunicatorCompletes() throws Exception {
        String accessKey = "AKIDPACKER" + System.nanoTime() % 1_000_000;
        AccountState account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(200));
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        account.seedImage(REGION, "debian-12-amd64-20260101-1", DEBIAN, base);
        String newest = account.seedImage(REGION, "debian-12-amd64-20260201-2", DEBIAN, base.plus(Duration.ofDays(31)));
        account.seedImage(REGION, "debian-12-arm64-20260301-3", DEBIAN, base.plus(Duration.ofDays(60)));
        account.seedImage(REGION, "debian-12-amd64-20260401-4", "999999999999", base.plus(Duration.ofDays(90)));

        Path dir = Files.createDirectories(Path.of("target", "packer", "ebs-none").toAbsolutePath());
        Path template = dir.resolve("template.json");
        Files.writeString(template, """
                {
                  "builders": [{
                    "type": "amazon-ebs",
                    "region": "%s",
                    "custom_endpoint_ec2": "%s",
                    "skip_region_validation": true,
                    "skip_metadata_api_check": true,
                    "skip_credential_validation": true,
                    "aws_polling": {"delay_seconds": 1, "max_attempts": 120},
                    "source_ami_filter": {
                      "filters": {"name": "debian-12-amd64-*", "virtualization-type": "hvm", "root-device-type": "ebs"},
                      "owners": ["%s"],
                      "most_recent": true
                    },
                    "instance_type": "t3.micro",
                    "communicator": "none",
                    "ami_name": "packer-compat-{{timestamp}}",
                    "ami_description": "built by PackerCompatibilityIT",
                    "tags": {"Name": "packer-compat", "Builder": "packer"},
                    "snapshot_tags": {"Snapshot": "packer-compat"},
                    "run_tags": {"Purpose": "packer-build"}
                  }]
                }
                """.formatted(REGION, endpoint.uri(), DEBIAN));

        Path log = dir.resolve("packer.log");
        Path output = dir.resolve("packer.out");
        ProcessBuilder pb = new ProcessBuilder(PACKER.toString(), "build", "-color=false", template.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        // nothing inherited: no proxies, no real credentials, no profile that could point elsewhere
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("TMPDIR", Files.createDirectories(dir.resolve("tmp")).toString());
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("CHECKPOINT_DISABLE", "1");
        env.put("PACKER_LOG", "1");
        env.put("PACKER_LOG_PATH", log.toString());
        Process packer = pb.start();
        boolean finished;
        try {
            finished = packer.waitFor(5, TimeUnit.MINUTES);
        } finally {
            packer.descendants().forEach(ProcessHandle::destroyForcibly);
            packer.destroyForcibly();
        }
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(finished, "packer did not finish in 5 minutes:\n" + out);
        assertEquals(0, packer.exitValue(), "packer failed (log in " + log + "):\n" + out);

        Matcher m = Pattern.compile(REGION + ": (ami-[0-9a-f]+)").matcher(out);
        assertTrue(m.find(), out);
        String amiId = m.group(1);
        Views.Image ami = account.images(REGION).stream().filter(i -> i.imageId().equals(amiId)).findFirst()
                .orElseThrow(() -> new AssertionError("no image " + amiId));
        assertEquals("available", ami.state());
        assertEquals(account.accountId(), ami.ownerId());
        assertEquals("built by PackerCompatibilityIT", ami.description());
        assertEquals(Map.of("Name", "packer-compat", "Builder", "packer"), ami.tags());
        for (String snapshotId : ami.snapshotIds()) {
            Views.Snapshot snapshot = account.snapshots(REGION).stream()
                    .filter(s -> s.snapshotId().equals(snapshotId)).findFirst().orElseThrow();
            // Packer 1.6 puts the AMI's tags on its snapshots too, then the snapshot tags
            assertEquals("packer-compat", snapshot.tags().get("Snapshot"), snapshot.tags().toString());
        }

        // the newest amd64 image of the right owner was the source, launched with the run tags
        List<Views.Instance> instances = account.instances(REGION);
        assertEquals(1, instances.size());
        assertEquals(newest, instances.get(0).imageId());
        assertEquals("packer-build", instances.get(0).tags().get("Purpose"));
        assertEquals(amiId, ami.imageId());

        assertEquals(List.of(), account.liveResources(REGION), "packer left resources behind");
        assertEquals(1, account.requestCounts().get("RunInstances"));
        assertEquals(1, account.requestCounts().get("CreateImage"));
    }
}
