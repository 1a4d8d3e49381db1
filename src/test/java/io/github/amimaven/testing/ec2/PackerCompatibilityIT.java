package io.github.amimaven.testing.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.packer.PackerBuild;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packer's amazon-ebs builder (Debian's packer 1.6.6, built on aws-sdk-go v1) run against the endpoint: a
 * second, independent client whose expectations of the EC2 protocol the endpoint must meet.
 */
class PackerCompatibilityIT {

    private static final String REGION = "ap-southeast-2";
    private static final String DEBIAN = "136693071363";

    private static Ec2TestEndpoint endpoint;

    private record PackerRun(int exitCode, String output, Path log) {
        String amiId() {
            Matcher m = Pattern.compile(REGION + ": (ami-[0-9a-f]+)").matcher(output);
            assertTrue(m.find(), output);
            return m.group(1);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        RequiredTool.packer(PackerBuild.PACKER);
        endpoint = Ec2TestEndpoint.start();
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** A fresh account with short delays and Debian-like images, the newest amd64 one returned. */
    private static String seedAccount(AccountState account) {
        account.config().allDelays(Duration.ofMillis(200));
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        account.seedImage(REGION, "debian-12-amd64-20260101-1", DEBIAN, base);
        String newest = account.seedImage(REGION, "debian-12-amd64-20260201-2", DEBIAN, base.plus(Duration.ofDays(31)));
        account.seedImage(REGION, "debian-12-arm64-20260301-3", DEBIAN, base.plus(Duration.ofDays(60)));
        account.seedImage(REGION, "debian-12-amd64-20260401-4", "999999999999", base.plus(Duration.ofDays(90)));
        return newest;
    }

    @Test
    void amazonEbsBuildWithoutCommunicatorCompletes() throws Exception {
        String accessKey = "AKIDPACKER" + System.nanoTime() % 1_000_000;
        AccountState account = endpoint.account(accessKey);
        String newest = seedAccount(account);

        PackerRun run = packer("ebs-none", accessKey, """
                "communicator": "none",
                """, "[]");
        assertEquals(0, run.exitCode, "packer failed (log in " + run.log + "):\n" + run.output);

        String amiId = run.amiId();
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
        assertEquals("terminated", instances.get(0).state());
        // Packer sends IamInstanceProfile.Name= (empty) when none is configured: that is no profile
        assertEquals(null, instances.get(0).iamInstanceProfileArn());

        assertEquals(List.of(), account.liveResources(REGION), "packer left resources behind");
        assertEquals(1, account.requestCounts().get("RunInstances"));
        assertEquals(1, account.requestCounts().get("CreateImage"));
    }

    /**
     * With SSH mode on, Packer logs in with the key pair it created through CreateKeyPair and runs a shell
     * provisioner on the instance's sshd: the generated PEM key and the per-instance sshd work for a Go client.
     */
    @Test
    void amazonEbsBuildProvisionsOverSsh() throws Exception {
        RequiredTool.sshd();
        String accessKey = "AKIDPACKERSSH" + System.nanoTime() % 1_000_000;
        AccountState account = endpoint.account(accessKey);
        seedAccount(account);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        account.config().ssh(true, port);

        PackerRun run = packer("ebs-ssh", accessKey, """
                "communicator": "ssh",
                "ssh_username": "%s",
                "ssh_port": %d,
                "ssh_timeout": "60s",
                """.formatted(LoopbackSshd.defaultUser(), port),
                "[{\"type\": \"shell\", \"inline\": [\"echo provisioned-as-$(id -un)\", \"sudo echo with-sudo\"]}]");
        assertEquals(0, run.exitCode, "packer failed (log in " + run.log + "):\n" + run.output);
        assertTrue(run.output.contains("provisioned-as-" + LoopbackSshd.defaultUser()), run.output);
        assertTrue(run.output.contains("with-sudo"), run.output);
        assertEquals("available", account.images(REGION).stream()
                .filter(i -> i.imageId().equals(run.amiId())).findFirst().orElseThrow().state());
        Views.SecurityGroup defaultGroup = account.securityGroups(REGION).get(0);
        assertTrue(defaultGroup.isDefault());
        assertEquals(List.of(), account.liveResources(REGION), "packer left resources behind");
        assertTrue(account.instances(REGION).stream().noneMatch(Views.Instance::sshRunning));
    }

    private static PackerRun packer(String name, String accessKey, String communicator, String provisioners)
            throws IOException, InterruptedException {
        Path dir = Path.of("target", "packer", name).toAbsolutePath();
        String template = """
                {
                  "builders": [{
                    %s
                    "aws_polling": {"delay_seconds": 1, "max_attempts": 120},
                    "source_ami_filter": {
                      "filters": {"name": "debian-12-amd64-*", "virtualization-type": "hvm", "root-device-type": "ebs"},
                      "owners": ["%s"],
                      "most_recent": true
                    },
                    "instance_type": "t3.micro",
                    %s
                    "ami_name": "packer-compat-{{timestamp}}",
                    "ami_description": "built by PackerCompatibilityIT",
                    "tags": {"Name": "packer-compat", "Builder": "packer"},
                    "snapshot_tags": {"Snapshot": "packer-compat"},
                    "run_tags": {"Purpose": "packer-build"}
                  }],
                  "provisioners": %s
                }
                """.formatted(PackerBuild.amazonEbsAgainst(endpoint.uri(), REGION).strip(), DEBIAN, communicator.strip(),
                provisioners);
        PackerBuild.Result result = PackerBuild.run(dir, template, PackerBuild.awsEnvironment(accessKey),
                Duration.ofMinutes(5));
        assertTrue(result.finished(), "packer did not finish in 5 minutes:\n" + result.output());
        return new PackerRun(result.exitCode(), result.output(), result.log());
    }
}
