package io.github.amimaven.testing.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateImageResponse;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.KeyType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The endpoint driven by the real AWS SDK for Java v2: its HTTP client, signing, retries and waiters. */
class Ec2TestEndpointIT {

    private static final String REGION = "ap-southeast-2";
    private static final String DEBIAN = "136693071363";
    private static final AtomicInteger KEYS = new AtomicInteger();
    private static final Consumer<WaiterOverrideConfiguration.Builder> FAST_WAITER = w -> w
            .maxAttempts(150).backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(100)));

    private static Ec2TestEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        endpoint = Ec2TestEndpoint.start();
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** A fresh account per test, with short delays, so tests never see each other's state. */
    private static String freshAccount() {
        String key = "AKIDTEST" + KEYS.incrementAndGet() + "X" + System.nanoTime() % 100000;
        endpoint.account(key).config().allDelays(Duration.ofMillis(150));
        return key;
    }

    private static Ec2Client client(String accessKey, String region) {
        return Ec2Client.builder()
                .region(Region.of(region))
                .endpointOverride(endpoint.uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKey, ItCredentials.secretKey(), ItCredentials.sessionToken())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(12)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(50)))
                        .circuitBreakerEnabled(false)
                        .build()))
                .build();
    }

    private static Ec2Exception ec2Error(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(Ec2Exception.class, call);
    }

    @Test
    void describesImagesByOwnerFilterWildcardAndTags() {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        String older = account.seedImage(REGION, "debian-12-amd64-20260101-1", DEBIAN, base);
        String newer = account.seedImage(new AccountState.ImageSeed(REGION, "debian-12-amd64-20260201-2")
                .ownerId(DEBIAN).creationDate(base.plus(Duration.ofDays(31))).tag("distro", "debian"));
        account.seedImage(new AccountState.ImageSeed(REGION, "debian-12-arm64-20260201-2").ownerId(DEBIAN)
                .architecture("arm64").creationDate(base.plus(Duration.ofDays(31))));
        String mine = account.seedImage(REGION, "my-golden-image", "self", base);
        account.seedImage(REGION, "debian-12-amd64-20260301-3", "999999999999", base.plus(Duration.ofDays(60)));
        String hidden = account.seedImage(new AccountState.ImageSeed(REGION, "someone-elses-private")
                .ownerId("888888888888").isPublic(false));
        try (Ec2Client ec2 = client(key, REGION)) {
            List<Image> amd64 = ec2.describeImages(r -> r.owners(DEBIAN)
                    .filters(Filter.builder().name("name").values("debian-12-amd64-*").build(),
                            Filter.builder().name("state").values("available").build())).images();
            assertEquals(2, amd64.size());
            Image latest = amd64.stream().max(Comparator.comparing(Image::creationDate)).orElseThrow();
            assertEquals(newer, latest.imageId());
            assertEquals("2026-02-01T00:00:00.000Z", latest.creationDate());
            assertEquals("available", latest.stateAsString());
            assertEquals(DEBIAN, latest.ownerId());
            assertTrue(latest.publicLaunchPermissions());
            assertEquals("x86_64", latest.architectureAsString());
            assertEquals("/dev/xvda", latest.rootDeviceName());
            assertEquals("ebs", latest.rootDeviceTypeAsString());
            assertEquals("hvm", latest.virtualizationTypeAsString());
            assertTrue(latest.blockDeviceMappings().get(0).ebs().snapshotId().startsWith("snap-"));
            assertEquals(8, latest.blockDeviceMappings().get(0).ebs().volumeSize());
            assertEquals(List.of(Tag.builder().key("distro").value("debian").build()), latest.tags());

            // ? matches one character; the architecture filter narrows further
            assertEquals(3, ec2.describeImages(r -> r.owners(DEBIAN).filters(
                    Filter.builder().name("name").values("debian-12-?????-2026020?-*", "debian-12-amd64-20260101-?").build()))
                    .images().size());
            assertEquals(1, ec2.describeImages(r -> r.owners(DEBIAN).filters(
                    Filter.builder().name("architecture").values("arm64").build())).images().size());
            assertEquals(List.of(newer), ec2.describeImages(r -> r.filters(
                    Filter.builder().name("tag:distro").values("deb*").build())).images().stream().map(Image::imageId).toList());
            assertEquals(1, ec2.describeImages(r -> r.filters(
                    Filter.builder().name("tag-key").values("distro").build())).images().size());
            assertEquals(List.of(mine), ec2.describeImages(r -> r.owners("self")).images().stream().map(Image::imageId).toList());
            assertEquals(List.of(older), ec2.describeImages(r -> r.imageIds(older)).images().stream().map(Image::imageId).toList());
            assertEquals(4, ec2.describeImages(r -> r.filters(
                    Filter.builder().name("is-public").values("true").build())).images().size());
            assertEquals(5, ec2.describeImages(r -> r.executableUsers("self")).images().size());
            assertEquals("InvalidAMIID.NotFound", ec2Error(() -> ec2.describeImages(r -> r.imageIds("ami-0123456789abcdef0")))
                    .awsErrorDetails().errorCode());
            // another account's private image is invisible, unless shared with this one
            assertEquals("InvalidAMIID.NotFound", ec2Error(() -> ec2.describeImages(r -> r.imageIds(hidden)))
                    .awsErrorDetails().errorCode());
            assertEquals(0, ec2.describeImages(r -> r.owners("888888888888")).images().size());
            assertEquals("InvalidAMIID.Malformed", ec2Error(() -> ec2.describeImages(r -> r.imageIds("ami-nope")))
                    .awsErrorDetails().errorCode());
            assertEquals("InvalidParameterValue", ec2Error(() -> ec2.describeImages(r -> r.filters(
                    Filter.builder().name("no-such-filter").values("x").build()))).awsErrorDetails().errorCode());
        }
    }

    @Test
    void fullLifecycleFromLaunchToDeregisteredImage() {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        String source = account.seedImage(REGION, "debian-12-amd64-20260101-1", DEBIAN, Instant.now());
        try (Ec2Client ec2 = client(key, REGION)) {
            var keyPair = ec2.createKeyPair(r -> r.keyName("build-key").tagSpecifications(TagSpecification.builder()
                    .resourceType(ResourceType.KEY_PAIR).tags(Tag.builder().key("purpose").value("build").build()).build()));
            assertTrue(keyPair.keyMaterial().startsWith("-----BEGIN RSA PRIVATE KEY-----"), keyPair.keyMaterial());
            assertTrue(keyPair.keyPairId().startsWith("key-"));
            assertEquals("InvalidKeyPair.Duplicate", ec2Error(() -> ec2.createKeyPair(r -> r.keyName("build-key")))
                    .awsErrorDetails().errorCode());

            String vpcId = ec2.describeVpcs(r -> r.filters(Filter.builder().name("isDefault").values("true").build()))
                    .vpcs().get(0).vpcId();
            String groupId = ec2.createSecurityGroup(r -> r.groupName("build-sg").description("build")
                    .vpcId(vpcId)).groupId();
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(IpPermission.builder()
                    .ipProtocol("tcp").fromPort(22).toPort(22).ipRanges(b -> b.cidrIp("0.0.0.0/0")).build()));
            assertEquals("InvalidPermission.Duplicate", ec2Error(() -> ec2.authorizeSecurityGroupIngress(r -> r
                    .groupId(groupId).ipProtocol("tcp").fromPort(22).toPort(22).cidrIp("0.0.0.0/0")))
                    .awsErrorDetails().errorCode());
            SecurityGroup sg = ec2.describeSecurityGroups(r -> r.groupIds(groupId)).securityGroups().get(0);
            assertEquals("build-sg", sg.groupName());
            assertEquals(22, sg.ipPermissions().get(0).fromPort());
            assertEquals("0.0.0.0/0", sg.ipPermissions().get(0).ipRanges().get(0).cidrIp());

            var run = ec2.runInstances(r -> r.imageId(source).instanceType("t3.micro").minCount(1).maxCount(1)
                    .keyName("build-key").securityGroupIds(groupId)
                    .iamInstanceProfile(p -> p.name("builder-profile"))
                    .userData("IyEvYmluL3NoCmVjaG8gaGkK")
                    .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                    .instanceInitiatedShutdownBehavior("terminate")
                    .blockDeviceMappings(b -> b.deviceName("/dev/xvda").ebs(e -> e.volumeSize(20).volumeType("gp3")))
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                            .tags(Tag.builder().key("Name").value("builder").build()).build())
                    .clientToken("token-1"));
            Instance launched = run.instances().get(0);
            assertEquals(InstanceStateName.PENDING, launched.state().name());
            assertEquals(0, launched.state().code());
            String instanceId = launched.instanceId();
            // a retry with the same client token launches nothing new
            assertEquals(instanceId, ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1)
                    .clientToken("token-1")).instances().get(0).instanceId());

            var running = ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds(instanceId), FAST_WAITER);
            Instance i = running.matched().response().orElseThrow().reservations().get(0).instances().get(0);
            assertEquals(InstanceStateName.RUNNING, i.state().name());
            assertEquals("t3.micro", i.instanceTypeAsString());
            assertEquals("build-key", i.keyName());
            assertEquals(groupId, i.securityGroups().get(0).groupId());
            assertEquals(vpcId, i.vpcId());
            assertTrue(i.subnetId().startsWith("subnet-"));
            assertTrue(i.privateIpAddress().startsWith("127.10."), i.privateIpAddress());
            assertTrue(i.publicIpAddress().startsWith("127.20."), i.publicIpAddress());
            assertEquals("ip-" + i.privateIpAddress().replace('.', '-') + "." + REGION + ".compute.internal", i.privateDnsName());
            assertTrue(i.publicDnsName().endsWith(".compute.amazonaws.com"));
            assertEquals(HttpTokensState.REQUIRED, i.metadataOptions().httpTokens());
            assertTrue(i.iamInstanceProfile().arn().endsWith(":instance-profile/builder-profile"));
            assertEquals(List.of(Tag.builder().key("Name").value("builder").build()), i.tags());
            assertNotNull(i.launchTime());
            assertEquals(1, i.blockDeviceMappings().size());
            assertEquals("terminate", ec2.describeInstanceAttribute(r -> r.instanceId(instanceId)
                    .attribute("instanceInitiatedShutdownBehavior")).instanceInitiatedShutdownBehavior().value());
            Views.Instance view = account.instances(REGION).get(0);
            assertEquals(20, view.blockDevices().get(0).volumeSize());
            assertEquals("gp3", view.blockDevices().get(0).volumeType());
            assertEquals("IyEvYmluL3NoCmVjaG8gaGkK", view.userData());
            assertEquals(1, ec2.describeInstanceStatus(r -> r.instanceIds(instanceId)).instanceStatuses().size());
            assertNotNull(ec2.getConsoleOutput(r -> r.instanceId(instanceId)).output());

            // stop: even with shutdown behaviour terminate, a stop keeps the instance
            var stop = ec2.stopInstances(r -> r.instanceIds(instanceId)).stoppingInstances().get(0);
            assertEquals(InstanceStateName.RUNNING, stop.previousState().name());
            assertEquals(InstanceStateName.STOPPING, stop.currentState().name());
            ec2.waiter().waitUntilInstanceStopped(r -> r.instanceIds(instanceId), FAST_WAITER);

            CreateImageResponse created = ec2.createImage(r -> r.instanceId(instanceId).name("golden 2026-11-21")
                    .description("built by test").tagSpecifications(
                            TagSpecification.builder().resourceType(ResourceType.IMAGE)
                                    .tags(Tag.builder().key("Release").value("1.0").build()).build(),
                            TagSpecification.builder().resourceType(ResourceType.SNAPSHOT)
                                    .tags(Tag.builder().key("ImageOf").value("golden").build()).build()));
            String imageId = created.imageId();
            assertEquals("InvalidAMIName.Duplicate", ec2Error(() -> ec2.createImage(r -> r.instanceId(instanceId)
                    .name("golden 2026-11-21"))).awsErrorDetails().errorCode());
            DescribeImagesResponse available = ec2.waiter()
                    .waitUntilImageAvailable(r -> r.imageIds(imageId), FAST_WAITER).matched().response().orElseThrow();
            Image image = available.images().get(0);
            assertEquals("available", image.stateAsString());
            assertEquals(account.accountId(), image.ownerId());
            assertEquals("built by test", image.description());
            assertEquals(List.of(Tag.builder().key("Release").value("1.0").build()), image.tags());
            String snapshotId = image.blockDeviceMappings().get(0).ebs().snapshotId();
            assertEquals(20, image.blockDeviceMappings().get(0).ebs().volumeSize());
            Snapshot snapshot = ec2.describeSnapshots(r -> r.ownerIds("self")).snapshots().get(0);
            assertEquals(snapshotId, snapshot.snapshotId());
            assertEquals("completed", snapshot.stateAsString());
            assertEquals(List.of(Tag.builder().key("ImageOf").value("golden").build()), snapshot.tags());

            ec2.modifyImageAttribute(r -> r.imageId(imageId).launchPermission(l -> l.add(p -> p.userId("123456789012"))));
            assertEquals("123456789012", ec2.describeImageAttribute(r -> r.imageId(imageId).attribute("launchPermission"))
                    .launchPermissions().get(0).userId());

            assertEquals("InvalidSnapshot.InUse", ec2Error(() -> ec2.deleteSnapshot(r -> r.snapshotId(snapshotId)))
                    .awsErrorDetails().errorCode());
            ec2.deregisterImage(r -> r.imageId(imageId));
            assertEquals(1, ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)).snapshots().size());
            ec2.deleteSnapshot(r -> r.snapshotId(snapshotId));
            assertEquals("InvalidSnapshot.NotFound", ec2Error(() -> ec2.describeSnapshots(r -> r.snapshotIds(snapshotId)))
                    .awsErrorDetails().errorCode());

            assertEquals("DependencyViolation", ec2Error(() -> ec2.deleteSecurityGroup(r -> r.groupId(groupId)))
                    .awsErrorDetails().errorCode());
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
            ec2.waiter().waitUntilInstanceTerminated(r -> r.instanceIds(instanceId), FAST_WAITER);
            var again = ec2.terminateInstances(r -> r.instanceIds(instanceId)).terminatingInstances().get(0);
            assertEquals(InstanceStateName.TERMINATED, again.currentState().name());
            assertEquals(1, ec2.describeInstances(r -> r.filters(Filter.builder().name("instance-state-name")
                    .values("terminated").build())).reservations().size());
            ec2.deleteSecurityGroup(r -> r.groupId(groupId));
            ec2.deleteKeyPair(r -> r.keyName("build-key"));
            ec2.deleteKeyPair(r -> r.keyName("build-key")); // idempotent, as in EC2
            assertEquals(List.of(), account.liveResources(REGION));
            assertEquals(List.of(source), account.images(REGION).stream().map(Views.Image::imageId).toList());
        }
    }

    @Test
    void regionsAreKeptApartAndImagesCopyAcross() {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        String source = account.seedImage(REGION, "mine-1", "self", Instant.now());
        try (Ec2Client sydney = client(key, REGION); Ec2Client virginia = client(key, "us-east-1")) {
            sydney.createKeyPair(r -> r.keyName("k"));
            assertEquals(1, sydney.describeKeyPairs(r -> r.keyNames("k")).keyPairs().size());
            assertEquals("InvalidKeyPair.NotFound", ec2Error(() -> virginia.describeKeyPairs(r -> r.keyNames("k")))
                    .awsErrorDetails().errorCode());
            assertEquals(0, virginia.describeImages(r -> r.owners("self")).images().size());
            assertNotEquals(sydney.describeVpcs().vpcs().get(0).vpcId(), virginia.describeVpcs().vpcs().get(0).vpcId());
            assertEquals("us-east-1a", virginia.describeAvailabilityZones().availabilityZones().get(0).zoneName());
            assertTrue(virginia.describeRegions().regions().stream().anyMatch(r -> r.regionName().equals(REGION)));

            String copy = virginia.copyImage(r -> r.sourceRegion(REGION).sourceImageId(source).name("mine-1-copy")
                    .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.IMAGE)
                            .tags(Tag.builder().key("CopiedFrom").value(source).build()).build())).imageId();
            assertEquals("pending", virginia.describeImages(r -> r.imageIds(copy)).images().get(0).stateAsString());
            Image copied = virginia.waiter().waitUntilImageAvailable(r -> r.imageIds(copy), FAST_WAITER)
                    .matched().response().orElseThrow().images().get(0);
            assertEquals("mine-1-copy", copied.name());
            assertEquals(source, copied.tags().get(0).value());
            assertEquals(1, virginia.describeSnapshots(r -> r.ownerIds("self")).snapshots().size());
            String copiedSnapshot = copied.blockDeviceMappings().get(0).ebs().snapshotId();
            String registered = virginia.registerImage(r -> r.name("registered-1").rootDeviceName("/dev/xvda")
                    .architecture("x86_64").virtualizationType("hvm").blockDeviceMappings(b -> b.deviceName("/dev/xvda")
                            .ebs(e -> e.snapshotId(copiedSnapshot)))).imageId();
            virginia.waiter().waitUntilImageAvailable(r -> r.imageIds(registered), FAST_WAITER);
            virginia.deregisterImage(r -> r.imageId(registered));
            assertEquals(1, account.images(REGION).size());
            assertEquals(List.of(copy), account.images("us-east-1").stream().map(Views.Image::imageId).toList());
        }
    }

    @Test
    void accountsAreKeptApart() {
        String a = freshAccount();
        String b = freshAccount();
        assertNotEquals(endpoint.account(a).accountId(), endpoint.account(b).accountId());
        assertTrue(endpoint.account(a).accountId().matches("\\d{12}"));
        assertEquals(AccountState.accountIdOf(a), endpoint.account(a).accountId());
        endpoint.account(a).seedImage(REGION, "only-a", "self", Instant.now());
        try (Ec2Client ea = client(a, REGION); Ec2Client eb = client(b, REGION)) {
            ea.createSecurityGroup(r -> r.groupName("g").description("d"));
            assertEquals(1, ea.describeImages(r -> r.owners("self")).images().size());
            assertEquals(0, eb.describeImages().images().size());
            assertEquals("InvalidGroup.NotFound", ec2Error(() -> eb.describeSecurityGroups(r -> r.groupNames("g")))
                    .awsErrorDetails().errorCode());
            // each account has its own default security group only
            assertEquals(1, eb.describeSecurityGroups().securityGroups().size());
            assertEquals(2, ea.describeSecurityGroups().securityGroups().size());
        }
        assertEquals(List.of("security group"), endpoint.account(a).liveResources(REGION).stream()
                .map(s -> s.substring(0, "security group".length())).toList());
        assertEquals(List.of(), endpoint.account(b).liveResources(REGION));
    }

    @Test
    void errorsReachTheSdkWithTheirCodes() throws Exception {
        String key = freshAccount();
        String image = endpoint.account(key).seedImage(REGION, "img", "self", Instant.now());
        try (Ec2Client ec2 = client(key, REGION)) {
            assertEquals("InvalidInstanceID.NotFound", ec2Error(() -> ec2.describeInstances(r -> r.instanceIds("i-0123456789abcdef0")))
                    .awsErrorDetails().errorCode());
            assertEquals("InvalidAMIID.NotFound", ec2Error(() -> ec2.runInstances(r -> r.imageId("ami-0123456789abcdef0")
                    .minCount(1).maxCount(1))).awsErrorDetails().errorCode());
            Ec2Exception noKey = ec2Error(() -> ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1).keyName("nope")));
            assertEquals("InvalidKeyPair.NotFound", noKey.awsErrorDetails().errorCode());
            assertEquals(400, noKey.statusCode());
            assertNotNull(noKey.requestId());
            assertEquals("DryRunOperation", ec2Error(() -> ec2.runInstances(r -> r.imageId(image).minCount(1).maxCount(1)
                    .dryRun(true))).awsErrorDetails().errorCode());
            assertEquals("InvalidGroup.NotFound", ec2Error(() -> ec2.deleteSecurityGroup(r -> r.groupId("sg-0123456789abcdef0")))
                    .awsErrorDetails().errorCode());
            assertEquals("MissingParameter", ec2Error(() -> ec2.createSecurityGroup(r -> r.groupName("x")))
                    .awsErrorDetails().errorCode());
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(endpoint.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("Action=DescribeRegions&Version=2016-11-15")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertTrue(unsigned.body().contains("<Code>AuthFailure</Code>"), unsigned.body());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(endpoint.uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/20261121/" + REGION
                        + "/ec2/aws4_request, SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString("Action=LaunchMissiles&Version=2016-11-15")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("<Code>InvalidAction</Code>"), unknown.body());
        assertTrue(unknown.body().contains("<RequestID>"), unknown.body());
        assertEquals(1, endpoint.account(key).requestCounts().get("LaunchMissiles"));
    }

    @Test
    void throttlingIsAbsorbedBySdkRetriesAndCounted() {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        account.config().throttle(0.5, 42);
        try (Ec2Client ec2 = client(key, REGION)) {
            for (int n = 0; n < 20; n++) {
                assertFalse(ec2.describeRegions().regions().isEmpty());
            }
        }
        int throttled = account.throttledCount();
        assertTrue(throttled > 3, "throttled " + throttled);
        assertEquals(20 + throttled, account.requestCounts().get("DescribeRegions"));

        // throttling only some actions leaves the others alone
        account.config().throttle(1.0, 1, "DescribeVpcs");
        try (Ec2Client ec2 = client(key, REGION)) {
            ec2.describeSubnets();
            Ec2Exception e = ec2Error(ec2::describeVpcs);
            assertEquals("RequestLimitExceeded", e.awsErrorDetails().errorCode());
            assertEquals(503, e.statusCode());
        }
        assertEquals(12, account.throttledCounts().get("DescribeVpcs"));
    }

    @Test
    void injectedFailuresFailTheNamedActionAsConfigured() {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        account.config().fail("CreateKeyPair", "UnauthorizedOperation", "You are not authorized", 403, 1);
        account.config().fail("DescribeVpcs", "InternalError", "boom", 500, 0);
        try (Ec2Client ec2 = client(key, REGION)) {
            Ec2Exception e = ec2Error(() -> ec2.createKeyPair(r -> r.keyName("k")));
            assertEquals("UnauthorizedOperation", e.awsErrorDetails().errorCode());
            assertEquals("You are not authorized", e.awsErrorDetails().errorMessage());
            assertEquals(403, e.statusCode());
            ec2.createKeyPair(r -> r.keyName("k")); // only once
            // a 500 is retried by the SDK, and fails every time
            assertEquals("InternalError", ec2Error(ec2::describeVpcs).awsErrorDetails().errorCode());
        }
        assertEquals(12, account.failedCounts().get("DescribeVpcs"));
        assertEquals(2, account.requestCounts().get("CreateKeyPair"));
        account.config().clearFaults();
        try (Ec2Client ec2 = client(key, REGION)) {
            ec2.describeVpcs();
        }
    }

    @Test
    void brokenAnswersSetThroughTheAdminApiAreWhatGoesOnTheWire() throws Exception {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        HttpClient http = HttpClient.newHttpClient();
        post(http, "/_admin/accounts/" + key + "/config", """
                {"failures": {"DescribeRegions": {"answer": "html", "status": 502, "times": 1},
                              "DescribeVpcs": {"answer": "empty"},
                              "DescribeSubnets": {"answer": "reset", "times": 1},
                              "DescribeAvailabilityZones": {"answer": "truncated", "times": 1},
                              "DescribeKeyPairs": {"answer": "truncated", "status": 500, "times": 1},
                              "PutParameter": {"answer": "html", "times": 1}}}
                """);

        HttpResponse<String> html = query(http, key, "DescribeRegions");
        assertEquals(502, html.statusCode());
        assertEquals("text/html", html.headers().firstValue("Content-Type").orElse(""));
        assertTrue(html.body().startsWith("<html>") && html.body().contains("<title>502 Bad Gateway</title>"), html.body());
        HttpResponse<String> served = query(http, key, "DescribeRegions");
        assertEquals(200, served.statusCode(), "only once");
        assertTrue(served.body().contains("<DescribeRegionsResponse"), served.body());

        HttpResponse<String> empty = query(http, key, "DescribeVpcs");
        assertEquals(500, empty.statusCode());
        assertEquals("", empty.body());

        assertThrows(java.io.IOException.class, () -> query(http, key, "DescribeSubnets"), "no answer at all");
        assertEquals(200, query(http, key, "DescribeSubnets").statusCode());

        HttpResponse<String> cut = query(http, key, "DescribeAvailabilityZones");
        assertEquals(200, cut.statusCode());
        assertTrue(cut.body().startsWith("<?xml") && cut.body().contains("<DescribeAvailabilityZonesResponse")
                && !cut.body().contains("</DescribeAvailabilityZonesResponse>"), cut.body());

        HttpResponse<String> cutError = query(http, key, "DescribeKeyPairs");
        assertEquals(500, cutError.statusCode());
        assertTrue(cutError.body().contains("<Response><Errors>") && !cutError.body().contains("</Response>"),
                cutError.body());

        HttpResponse<String> ssm = http.send(HttpRequest.newBuilder(endpoint.uri())
                .header("Authorization", authorization(key, "ssm")).header("X-Amz-Target", "AmazonSSM.PutParameter")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Name\": \"x\", \"Value\": \"y\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(500, ssm.statusCode());
        assertTrue(ssm.body().contains("<title>500 Internal Server Error</title>"), ssm.body());

        assertEquals(Map.of("DescribeAvailabilityZones", 1, "DescribeKeyPairs", 1, "DescribeRegions", 1,
                "DescribeSubnets", 1, "DescribeVpcs", 1, "PutParameter", 1), account.failedCounts());
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(endpoint.uri() + "/_admin/accounts/"
                + key + "/config")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"failures\": {\"DescribeVpcs\": {\"answer\": \"teapot\"}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, unknown.statusCode());
        assertTrue(unknown.body().contains("unknown answer teapot"), unknown.body());
    }

    @Test
    void capacityRefusalsSetThroughTheAdminApiMeetRunInstancesPerTypeAndMarket() throws Exception {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        String source = account.seedImage(REGION, "src", DEBIAN, Instant.now());
        post(HttpClient.newHttpClient(), "/_admin/accounts/" + key + "/config", """
                {"noCapacity": [{"instanceType": "c7i.large", "market": "spot"}], "unsupported": ["m6i.large"]}
                """);
        InstanceMarketOptionsRequest spot = InstanceMarketOptionsRequest.builder()
                .marketType("spot").spotOptions(o -> o.maxPrice("0.05")).build();
        try (Ec2Client ec2 = client(key, REGION)) {
            Ec2Exception noRoom = ec2Error(() -> ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1)
                    .instanceType("c7i.large").instanceMarketOptions(spot)));
            assertEquals("InsufficientInstanceCapacity", noRoom.awsErrorDetails().errorCode());
            assertEquals(500, noRoom.statusCode());
            assertEquals("Unsupported", ec2Error(() -> ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1)
                    .instanceType("m6i.large"))).awsErrorDetails().errorCode());
            assertEquals("InvalidParameterCombination", ec2Error(() -> ec2.runInstances(r -> r.imageId(source).minCount(1)
                    .maxCount(1).instanceType("t3.micro").instanceMarketOptions(m -> m.marketType("spot")
                            .spotOptions(o -> o.instanceInterruptionBehavior("stop"))))).awsErrorDetails().errorCode());

            String onDemand = ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1).instanceType("c7i.large"))
                    .instances().get(0).instanceId();
            Instance spotInstance = ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1).instanceType("t3.micro")
                    .instanceMarketOptions(spot)).instances().get(0);
            assertEquals(InstanceLifecycleType.SPOT, spotInstance.instanceLifecycle());
            assertNull(ec2.describeInstances(r -> r.instanceIds(onDemand)).reservations().get(0).instances().get(0)
                    .instanceLifecycle());
            assertEquals("UnsupportedOperation", ec2Error(() -> ec2.stopInstances(r -> r.instanceIds(spotInstance.instanceId())))
                    .awsErrorDetails().errorCode());

            List<Map<String, String>> launches = account.requests("RunInstances");
            assertEquals("0.05", launches.get(0).get("InstanceMarketOptions.SpotOptions.MaxPrice"), launches.toString());
            assertEquals("t3.micro", launches.get(launches.size() - 1).get("InstanceType"));
            account.config().clearFaults();
            ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1).instanceType("m6i.large").instanceMarketOptions(spot));
        }
    }

    /** An EC2 Query request as the SDK sends it, as far as the endpoint looks: the action and the SigV4 scope. */
    private static HttpResponse<String> query(HttpClient http, String key, String action) throws Exception {
        return http.send(HttpRequest.newBuilder(endpoint.uri()).header("Authorization", authorization(key, "ec2"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("Action=" + action + "&Version=2016-11-15")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String authorization(String key, String service) {
        return "AWS4-HMAC-SHA256 Credential=" + key + "/20260101/" + REGION + "/" + service
                + "/aws4_request, SignedHeaders=host, Signature=0";
    }

    @Test
    void failingImagesFailTheWaiter() {
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        String source = account.seedImage(REGION, "src", DEBIAN, Instant.now());
        account.config().imagesFail(true);
        try (Ec2Client ec2 = client(key, REGION)) {
            String instanceId = ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1)).instances().get(0).instanceId();
            ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds(instanceId), FAST_WAITER);
            // CreateImage on a running instance is allowed (no-reboot semantics)
            String imageId = ec2.createImage(r -> r.instanceId(instanceId).name("doomed").noReboot(true)).imageId();
            SdkClientException e = assertThrows(SdkClientException.class,
                    () -> ec2.waiter().waitUntilImageAvailable(r -> r.imageIds(imageId), FAST_WAITER));
            assertTrue(e.getMessage().contains("failure state"), e.getMessage());
            Image failed = ec2.describeImages(r -> r.imageIds(imageId)).images().get(0);
            assertEquals("failed", failed.stateAsString());
            assertNotNull(failed.stateReason().code());
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
        }
    }

    @Test
    void sshModeRunsARealSshdPerInstance() throws Exception {
        RequiredTool.sshd();
        String key = freshAccount();
        AccountState account = endpoint.account(key);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        account.config().ssh(true, port);
        String source = account.seedImage(REGION, "src", DEBIAN, Instant.now());
        JSch jsch = new JSch();
        com.jcraft.jsch.KeyPair local = com.jcraft.jsch.KeyPair.genKeyPair(jsch, com.jcraft.jsch.KeyPair.RSA, 2048);
        ByteArrayOutputStream pub = new ByteArrayOutputStream();
        local.writePublicKey(pub, "test");
        ByteArrayOutputStream priv = new ByteArrayOutputStream();
        local.writePrivateKey(priv);
        jsch.addIdentity("test", priv.toByteArray(), null, null);
        try (Ec2Client ec2 = client(key, REGION)) {
            ec2.importKeyPair(r -> r.keyName("imported").publicKeyMaterial(SdkBytes.fromByteArray(pub.toByteArray())));
            assertEquals(pub.toString(StandardCharsets.US_ASCII).trim(), account.keyPairs(REGION).get(0).publicKey());
            String instanceId = ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1).keyName("imported"))
                    .instances().get(0).instanceId();
            Instance i = ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds(instanceId), FAST_WAITER)
                    .matched().response().orElseThrow().reservations().get(0).instances().get(0);
            assertEquals("hi", exec(jsch, i.publicIpAddress(), port, "echo hi"));
            assertEquals("hi", exec(jsch, i.privateIpAddress(), port, "echo hi"));

            ec2.stopInstances(r -> r.instanceIds(instanceId));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean refused = false;
            while (!refused && System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket()) {
                    s.connect(new java.net.InetSocketAddress(i.publicIpAddress(), port), 200);
                    Thread.sleep(50);
                } catch (java.io.IOException expected) {
                    refused = true;
                }
            }
            assertTrue(refused, "sshd still answers after StopInstances");
            ec2.waiter().waitUntilInstanceStopped(r -> r.instanceIds(instanceId), FAST_WAITER);

            // started again, the instance answers again
            ec2.startInstances(r -> r.instanceIds(instanceId));
            ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds(instanceId), FAST_WAITER);
            assertEquals("hi", exec(jsch, i.publicIpAddress(), port, "echo hi"));
            ec2.terminateInstances(r -> r.instanceIds(instanceId));
            ec2.waiter().waitUntilInstanceTerminated(r -> r.instanceIds(instanceId), FAST_WAITER);
            assertFalse(account.instances(REGION).get(0).sshRunning());

            // a key made by CreateKeyPair (ED25519, OpenSSH private key format) opens the next instance
            var created = ec2.createKeyPair(r -> r.keyName("created").keyType(KeyType.ED25519));
            assertTrue(created.keyMaterial().startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"), created.keyMaterial());
            JSch other = new JSch();
            other.addIdentity("created", created.keyMaterial().getBytes(StandardCharsets.US_ASCII), null, null);
            String second = ec2.runInstances(r -> r.imageId(source).minCount(1).maxCount(1).keyName("created"))
                    .instances().get(0).instanceId();
            Instance j = ec2.waiter().waitUntilInstanceRunning(r -> r.instanceIds(second), FAST_WAITER)
                    .matched().response().orElseThrow().reservations().get(0).instances().get(0);
            assertNotEquals(i.publicIpAddress(), j.publicIpAddress());
            assertEquals("hi", exec(other, j.publicIpAddress(), port, "echo hi"));
            ec2.terminateInstances(r -> r.instanceIds(second));
        }
    }

    private static String exec(JSch jsch, String host, int port, String command) throws Exception {
        Session session = jsch.getSession(LoopbackSshd.defaultUser(), host, port);
        session.setConfig("StrictHostKeyChecking", "no");
        session.connect(10_000);
        try {
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            channel.setOutputStream(out);
            channel.connect(10_000);
            while (!channel.isClosed()) {
                Thread.sleep(20);
            }
            channel.disconnect();
            return out.toString(StandardCharsets.UTF_8).trim();
        } finally {
            session.disconnect();
        }
    }

    @Test
    void adminApiConfiguresSeedsAndReports() throws Exception {
        String key = freshAccount();
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        JsonNode config = json.readTree(post(http, "/_admin/accounts/" + key + "/config", """
                {"delays": {"all": 100, "imagePending": 50},
                 "throttle": {"fraction": 0.0, "seed": 7},
                 "failures": {"DeleteKeyPair": {"code": "InternalFailure", "message": "nope", "status": 400, "times": 1}},
                 "imagesFail": false, "ssh": {"enabled": false, "port": 2200}, "latencyMs": {"DescribeRegions": 10}}
                """));
        assertEquals(endpoint.account(key).accountId(), config.get("accountId").asText());
        assertEquals(Duration.ofMillis(50), endpoint.account(key).config().delay(AccountState.Transition.IMAGE_PENDING));
        assertEquals(Duration.ofMillis(100), endpoint.account(key).config().delay(AccountState.Transition.INSTANCE_PENDING));
        assertEquals(2200, endpoint.account(key).config().sshPort());
        String imageId = json.readTree(post(http, "/_admin/accounts/" + key + "/images", """
                {"region": "ap-southeast-2", "name": "debian-12-amd64-20260101-1", "ownerId": "136693071363",
                 "creationDate": "2026-01-01T00:00:00Z", "tags": {"os": "debian"}, "state": "available"}
                """)).get("imageId").asText();
        assertTrue(imageId.startsWith("ami-"));
        try (Ec2Client ec2 = client(key, REGION)) {
            assertEquals("debian", ec2.describeImages(r -> r.imageIds(imageId)).images().get(0).tags().get(0).value());
            ec2.createKeyPair(r -> r.keyName("k"));
            assertEquals("InternalFailure", ec2Error(() -> ec2.deleteKeyPair(r -> r.keyName("k"))).awsErrorDetails().errorCode());
            ec2.describeRegions();
        }
        JsonNode state = json.readTree(http.send(HttpRequest.newBuilder(URI.create(endpoint.uri() + "/_admin/accounts/"
                + key + "/state")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode region = state.get("regions").get(REGION);
        assertEquals(imageId, region.get("images").get(0).get("imageId").asText());
        assertEquals("debian", region.get("images").get(0).get("tags").get("os").asText());
        assertEquals("k", region.get("keyPairs").get(0).get("keyName").asText());
        assertEquals(1, state.get("requestCounts").get("DeleteKeyPair").asInt());
        assertEquals(0, state.get("throttledCount").asInt());
        assertEquals(1, region.get("liveResources").size());

        assertEquals("{\n  \"ok\" : true\n}", post(http, "/_admin/reset", ""));
        assertEquals(List.of(), endpoint.account(key).images(REGION));
        assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(endpoint.uri() + "/_admin/nope")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static String post(HttpClient http, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(endpoint.uri() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    @SuppressWarnings("unused")
    private static Map<String, Integer> counts(String key) {
        return endpoint.account(key).requestCounts();
    }
}
