package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.Volume;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.ec2.EndpointAccount;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.Views;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The launch options a Packer user sets on EC2 (run tags, root volume performance and encryption, extra volumes on
 * the builder and in the image, a public IP, an instance profile, a subnet and security groups chosen by filter),
 * built through the real SDK against the EC2 test endpoint and asserted as RunInstances, CreateImage, ImportKeyPair
 * and CreateSecurityGroup received them.
 */
class Ec2LaunchOptionsIT extends EndpointTest {

    static final String KEY_ARN = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final Map<String, String> RUN_TAGS = Map.of("CostCenter", "4711", "Name", "packer-like builder");
    static final ProjectInfo PROJECT = new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target"));

    @BeforeAll
    static void needsSshd() {
        RequiredTool.sshd();
    }

    static ImageSpec image(LaunchOptions launch) {
        SshAccess ssh = new SshAccess(LoopbackSshd.defaultUser(), 2222, SshAccess.AddressType.PRIVATE_IP,
                Duration.ofSeconds(30), null, null, List.of("127.0.0.0/8"), null);
        return new ImageSpec("web", "ec2", new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null),
                launch, ssh, List.of(), Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null,
                new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)));
    }

    static LaunchOptions launch(Map<String, List<String>> subnetFilter, Map<String, List<String>> groupFilter) {
        return new LaunchOptions("t3.micro", null, List.of(), "image-builder", 30, "gp3", null, true, true, List.of(), null,
                4000, 250,
                true, KEY_ARN,
                List.of(new Volume("/dev/sdf", 50, "io2", 1000, null, true, null, null, true)),
                List.of(new Volume("/dev/sdg", 10, "gp3", null, null, false, null, null, false)),
                subnetFilter, groupFilter, RUN_TAGS);
    }

    static ImageResult build(EndpointAccount a, ImageSpec spec, CollectingLog log) {
        a.account().config().ssh(true, 2222);
        return ImageBuilds.run(List.of(spec), Pipelines::candidateBuild, a.provider(), log, "blaunch", PROJECT, 1).get(0);
    }

    @Test
    void runTagsDisksPublicIpAndProfileReachRunInstancesAndCreateImageAndTheTestInstance() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "launchopts", 4)) {
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, image(launch(Map.of(), Map.of())), log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));

            Map<String, String> run = a.account().lastRequest("RunInstances");
            Map<String, Map<String, String>> tags = tagSpecifications(run);
            for (String type : List.of("instance", "volume", "network-interface")) {
                assertEquals("4711", tags.get(type).get("CostCenter"), type + ": " + run);
                assertEquals("packer-like builder", tags.get(type).get("Name"), type + ": " + run);
                assertEquals("builder", tags.get(type).get("ami:role"), type + ": " + run);
            }
            assertEquals("/dev/xvda", run.get("BlockDeviceMapping.1.DeviceName"), run.toString());
            assertEquals("30", run.get("BlockDeviceMapping.1.Ebs.VolumeSize"));
            assertEquals("gp3", run.get("BlockDeviceMapping.1.Ebs.VolumeType"));
            assertEquals("4000", run.get("BlockDeviceMapping.1.Ebs.Iops"));
            assertEquals("250", run.get("BlockDeviceMapping.1.Ebs.Throughput"));
            assertEquals("true", run.get("BlockDeviceMapping.1.Ebs.Encrypted"));
            assertEquals(KEY_ARN, run.get("BlockDeviceMapping.1.Ebs.KmsKeyId"));
            assertEquals("/dev/sdf", run.get("BlockDeviceMapping.2.DeviceName"));
            assertEquals("50", run.get("BlockDeviceMapping.2.Ebs.VolumeSize"));
            assertEquals("io2", run.get("BlockDeviceMapping.2.Ebs.VolumeType"));
            assertEquals("1000", run.get("BlockDeviceMapping.2.Ebs.Iops"));
            assertEquals("true", run.get("BlockDeviceMapping.2.Ebs.Encrypted"));
            assertNull(run.get("BlockDeviceMapping.2.Ebs.KmsKeyId"), "the account's default key");
            assertEquals("true", run.get("NetworkInterface.1.AssociatePublicIpAddress"));
            assertEquals("image-builder", run.get("IamInstanceProfile.Name"));

            Views.Instance builder = a.account().instances(EndpointAccount.REGION).get(0);
            assertNotNull(builder.publicIpAddress());
            assertEquals("4711", builder.networkInterfaceTags().get("CostCenter"));
            assertTrue(builder.iamInstanceProfileArn().endsWith(":instance-profile/image-builder"));

            for (String call : List.of("ImportKeyPair", "CreateSecurityGroup")) {
                Map<String, String> request = a.account().lastRequest(call);
                Map<String, String> created = tagSpecifications(request).get(call.equals("ImportKeyPair") ? "key-pair" : "security-group");
                assertEquals("4711", created.get("CostCenter"), call + ": " + request);
                assertEquals("packer-like builder", created.get("Name"), call + ": " + request);
            }

            Map<String, String> capture = a.account().lastRequest("CreateImage");
            assertEquals("/dev/sdg", capture.get("BlockDeviceMapping.1.DeviceName"), capture.toString());
            assertEquals("10", capture.get("BlockDeviceMapping.1.Ebs.VolumeSize"));
            assertEquals("gp3", capture.get("BlockDeviceMapping.1.Ebs.VolumeType"));
            assertEquals("false", capture.get("BlockDeviceMapping.1.Ebs.DeleteOnTermination"));
            Map<String, String> imageTags = tagSpecifications(capture).get("image");
            assertEquals("platform", imageTags.get("Team"));
            assertNull(imageTags.get("CostCenter"), "run tags stay on the temporary resources: " + imageTags);

            Views.Image candidate = a.account().images(EndpointAccount.REGION).stream()
                    .filter(i -> i.imageId().equals(r.imageId())).findFirst().orElseThrow();
            assertEquals(List.of("/dev/xvda", "/dev/sdf", "/dev/sdg"),
                    candidate.blockDevices().stream().map(Views.BlockDevice::deviceName).toList());
            Views.BlockDevice root = candidate.blockDevices().get(0);
            assertTrue(root.encrypted() && KEY_ARN.equals(root.kmsKeyId()), root.toString());
            Views.Snapshot rootSnapshot = a.account().snapshots(EndpointAccount.REGION).stream()
                    .filter(s -> s.snapshotId().equals(root.snapshotId())).findFirst().orElseThrow();
            assertTrue(rootSnapshot.encrypted() && KEY_ARN.equals(rootSnapshot.kmsKeyId()), rootSnapshot.toString());

            // integration-test: the test instance booted from the candidate carries the run tags too
            ImageSpec test = image(launch(Map.of(), Map.of())).withSource(new SourceSpec(r.imageId(), null, null, null, null));
            ImageResult tested = ImageBuilds.run(List.of(test), Pipelines::candidateTest, a.provider(), log, "btest",
                    PROJECT, 1).get(0);
            assertNull(tested.failure(), () -> String.join("\n", log.lines()));
            Map<String, String> testRun = a.account().lastRequest("RunInstances");
            for (String type : List.of("instance", "volume", "network-interface")) {
                Map<String, String> testTags = tagSpecifications(testRun).get(type);
                assertEquals("4711", testTags.get("CostCenter"), type + ": " + testRun);
                assertEquals("test instance", testTags.get("ami:role"), type + ": " + testRun);
            }
        }
    }

    /**
     * Of the subnets matching {@code <subnetFilter>} the one with the most free addresses is chosen, and every group
     * matching {@code <securityGroupFilter>} in its VPC is attached instead of a temporary one.
     */
    @Test
    void theSubnetAndSecurityGroupsAreChosenByFilter() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "netfilter", 4)) {
            String small = a.account().seedSubnet(EndpointAccount.REGION, 100, Map.of("Tier", "build"));
            String large = a.account().seedSubnet(EndpointAccount.REGION, 500, Map.of("Tier", "build"));
            a.account().seedSubnet(EndpointAccount.REGION, 4000, Map.of("Tier", "web"));
            String ssh = a.client().createSecurityGroup(r -> r.groupName("ssh-in").description("SSH")
                    .tagSpecifications(tagged(ResourceType.SECURITY_GROUP, "Role", "ssh-in"))).groupId();
            String monitoring = a.client().createSecurityGroup(r -> r.groupName("monitoring").description("agents")
                    .tagSpecifications(tagged(ResourceType.SECURITY_GROUP, "Role", "ssh-in"))).groupId();
            a.client().createSecurityGroup(r -> r.groupName("web").description("HTTP")
                    .tagSpecifications(tagged(ResourceType.SECURITY_GROUP, "Role", "web")));

            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, image(launch(Map.of("tag:Tier", List.of("build")), Map.of("tag:Role", List.of("ssh-in")))),
                    log);
            assertNull(r.failure(), () -> String.join("\n", log.lines()));

            Map<String, String> run = a.account().lastRequest("RunInstances");
            assertEquals(large, run.get("NetworkInterface.1.SubnetId"), run.toString() + " (not " + small + ")");
            assertEquals(new java.util.TreeSet<>(List.of(ssh, monitoring)), new java.util.TreeSet<>(List.of(
                    run.get("NetworkInterface.1.SecurityGroupId.1"), run.get("NetworkInterface.1.SecurityGroupId.2"))));
            assertNull(run.get("NetworkInterface.1.SecurityGroupId.3"), run.toString());
            assertEquals(3, a.account().requestCount("CreateSecurityGroup"), "the test's groups, no temporary one");
        }
    }

    @Test
    void aFilterThatMatchesNoSubnetFailsNamingIt() throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "nosubnet", 4)) {
            CollectingLog log = new CollectingLog();
            ImageResult r = build(a, image(launch(Map.of("tag:Tier", List.of("nowhere")), Map.of())), log);
            assertNotNull(r.failure());
            assertTrue(r.failure().getMessage().contains("no subnet in ap-southeast-2 matches <subnetFilter> {tag:Tier=[nowhere]}:"
                    + " check the filters' names and values, or set <subnetId>"), r.failure().getMessage());
            assertEquals(0, a.account().requestCount("RunInstances"));
        }
    }

    private static TagSpecification tagged(ResourceType type, String key, String value) {
        return TagSpecification.builder().resourceType(type).tags(Tag.builder().key(key).value(value).build()).build();
    }

    /** The request's {@code TagSpecification.N}, resource type to tags, as the SDK sent them. */
    static Map<String, Map<String, String>> tagSpecifications(Map<String, String> request) {
        Map<String, Map<String, String>> specs = new TreeMap<>();
        for (int n = 1; request.containsKey("TagSpecification." + n + ".ResourceType"); n++) {
            Map<String, String> tags = new TreeMap<>();
            for (int t = 1; request.containsKey("TagSpecification." + n + ".Tag." + t + ".Key"); t++) {
                tags.put(request.get("TagSpecification." + n + ".Tag." + t + ".Key"),
                        request.get("TagSpecification." + n + ".Tag." + t + ".Value"));
            }
            specs.put(request.get("TagSpecification." + n + ".ResourceType"), tags);
        }
        return specs;
    }
}
