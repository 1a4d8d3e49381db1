package io.github.amimaven.platform.ec2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.crypto.Cipher;

import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.remote.SshKeys;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * EC2 through the AWS SDK for Java v2. Waits use the SDK's waiters on a {@link PollSchedule} (first poll after
 * 0.5 s, then backing off ×1.5 to 15 s; no fixed long sleeps), bounded by the caller's timeout; throttling and transient errors are retried by the client's retry
 * strategy. Every resource is tagged in the call that creates it.
 */
public final class Ec2Platform implements Platform {

    /** Codes meaning "already gone", which deletes treat as success. */
    private static final Set<String> GONE = Set.of("InvalidInstanceID.NotFound", "InvalidAMIID.NotFound",
            "InvalidAMIID.Unavailable", "InvalidSnapshot.NotFound", "InvalidKeyPair.NotFound",
            "InvalidGroup.NotFound", "InvalidGroupId.Malformed");

    /** Codes that mean the user's input is wrong rather than AWS or the network. */
    private static final Set<String> USER_ERRORS = Set.of("InvalidAMIID.NotFound", "InvalidAMIID.Malformed",
            "InvalidParameterValue", "InvalidParameterCombination", "InvalidSubnetID.NotFound", "InvalidGroup.NotFound",
            "InvalidKeyPair.NotFound", "InvalidAMIName.Duplicate", "InvalidAMIName.Malformed", "AuthFailure",
            "UnauthorizedOperation", "InvalidClientTokenId", "OptInRequired", "Unsupported", "MissingParameter",
            "InvalidInstanceType", "InvalidBlockDeviceMapping");

    /** How long a security group may stay in use by a terminated builder's network interface. */
    static final Duration FIREWALL_RELEASE_TIMEOUT = Duration.ofMinutes(5);

    private final Ec2Client ec2;
    private final String region;
    private final Ec2Waiter waiter;
    private final Map<String, Image> resolvedImages = new ConcurrentHashMap<>();
    private final PollSchedule polls = PollSchedule.DEFAULT;
    private final Duration firewallReleaseTimeout;
    private volatile String endpoint;

    public Ec2Platform(Ec2Client ec2, String region) {
        this(ec2, region, FIREWALL_RELEASE_TIMEOUT);
    }

    /** With another bound on waiting out {@code DependencyViolation} when deleting a security group (tests). */
    Ec2Platform(Ec2Client ec2, String region, Duration firewallReleaseTimeout) {
        this.ec2 = ec2;
        this.region = region;
        this.waiter = Ec2Waiter.builder().client(ec2).build();
        this.firewallReleaseTimeout = firewallReleaseTimeout;
    }

    @Override
    public String id() {
        return "ec2";
    }

    @Override
    public String location() {
        return region;
    }

    @Override
    public SourceImage resolveSource(SourceSpec source) {
        Image image;
        if (source.imageId() != null) {
            List<Image> found = call("DescribeImages", () -> ec2.describeImages(r -> r.imageIds(source.imageId())).images(),
                    "check <source><id>");
            if (found.isEmpty()) {
                throw new PlatformException("source image " + source.imageId() + " does not exist in " + region
                        + ": check <source><id> and <region>", true);
            }
            image = found.get(0);
        } else {
            List<Filter> filters = new ArrayList<>();
            if (source.name() != null) {
                filters.add(Filter.builder().name("name").values(source.name()).build());
            }
            source.filters().forEach((k, v) -> filters.add(Filter.builder().name(k).values(v).build()));
            filters.add(Filter.builder().name("state").values("available").build());
            DescribeImagesRequest.Builder request = DescribeImagesRequest.builder().filters(filters);
            if (!source.owners().isEmpty()) {
                request.owners(source.owners());
            }
            List<Image> found = call("DescribeImages", () -> ec2.describeImagesPaginator(request.build()).images()
                    .stream().toList(), "check <source>");
            image = found.stream().max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
                    .orElseThrow(() -> new PlatformException("no available image in " + region + " matches <source> ("
                            + source.describe() + "): check <source><name>, <owners> and <filters>", true));
        }
        resolvedImages.put(image.imageId(), image);
        return new SourceImage(image.imageId(), image.name(), image.creationDate());
    }

    @Override
    public String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        call("ImportKeyPair", () -> ec2.importKeyPair(r -> r.keyName(name)
                .publicKeyMaterial(SdkBytes.fromUtf8String(publicKeyOpenSsh))
                .tagSpecifications(tagSpec(ResourceType.KEY_PAIR, tags))), null);
        return name;
    }

    @Override
    public void deleteKeyPair(String keyName) {
        ignoringGone("DeleteKeyPair", () -> ec2.deleteKeyPair(r -> r.keyName(keyName)));
    }

    @Override
    public Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        String vpcId = subnetId.map(s -> call("DescribeSubnets",
                () -> ec2.describeSubnets(r -> r.subnetIds(s)).subnets().get(0).vpcId(), "check <subnetId>")).orElse(null);
        String groupId = call("CreateSecurityGroup", () -> ec2.createSecurityGroup(r -> r.groupName(name)
                .description("Temporary SSH access for ami-maven-plugin build")
                .vpcId(vpcId)
                .tagSpecifications(tagSpec(ResourceType.SECURITY_GROUP, tags))).groupId(), null);
        List<IpRange> v4 = cidrs.stream().filter(c -> !c.contains(":"))
                .map(c -> IpRange.builder().cidrIp(c).description("ami-maven-plugin SSH").build()).toList();
        List<Ipv6Range> v6 = cidrs.stream().filter(c -> c.contains(":"))
                .map(c -> Ipv6Range.builder().cidrIpv6(c).description("ami-maven-plugin SSH").build()).toList();
        IpPermission permission = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
                .ipRanges(v4).ipv6Ranges(v6).build();
        try {
            call("AuthorizeSecurityGroupIngress", () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId)
                    .ipPermissions(permission)), "check <ssh><allowedCidrs>");
        } catch (RuntimeException e) {
            // the group exists but the caller never learns its id: remove it here
            deleteFirewall(groupId);
            throw e;
        }
        return Optional.of(groupId);
    }

    /**
     * Retries {@code DependencyViolation}, which AWS returns until the terminated builder's network interface is
     * released (seconds to a few minutes after termination).
     */
    @Override
    public void deleteFirewall(String firewallId) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelayHalfJitter(Duration.ofSeconds(1), Duration.ofSeconds(15));
        long start = System.nanoTime();
        long deadline = start + firewallReleaseTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                ignoringGone("DeleteSecurityGroup", () -> ec2.deleteSecurityGroup(r -> r.groupId(firewallId)));
                return;
            } catch (PlatformException e) {
                boolean inUse = e.getCause() instanceof Ec2Exception ex && "DependencyViolation".equals(code(ex));
                Duration delay = backoff.computeDelay(attempt);
                if (!inUse) {
                    throw e;
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    throw new PlatformException("security group " + firewallId + " is still in use after "
                            + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s of waiting for the network"
                            + " interfaces of terminated instances to be released: " + e.getMessage(), e);
                }
                try {
                    // the last try comes at the bound itself, not one backoff gap before it
                    Thread.sleep(Math.max(1, Math.min(delay.toMillis(), (deadline - now) / 1_000_000)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    @Override
    public String launch(LaunchSpec spec) {
        Image source = resolvedImages.get(spec.imageId());
        RunInstancesRequest request = Ec2LaunchRequest.of(spec,
                source != null && source.rootDeviceName() != null ? source.rootDeviceName() : "/dev/xvda");
        return call("RunInstances", () -> ec2.runInstances(request).instances().get(0).instanceId(),
                "check <instanceType>, <subnetId>, <securityGroupIds> and <iamInstanceProfile>");
    }

    /**
     * One waiter from launch to running: InstanceRunning retries the NotFound a just-launched instance can answer,
     * and its last poll describes the running instance, so no other call is needed.
     */
    @Override
    public Machine awaitRunning(String machineId, Duration timeout) {
        DescribeInstancesRequest request = DescribeInstancesRequest.builder().instanceIds(machineId).build();
        DescribeInstancesResponse described = await("instance " + machineId + " to run", "DescribeInstances",
                Timeouts.INSTANCE, timeout, config -> waiter.waitUntilInstanceRunning(request, config));
        Instance i = described.reservations().get(0).instances().get(0);
        return new Machine(i.instanceId(), blankToNull(i.publicIpAddress()), blankToNull(i.privateIpAddress()),
                blankToNull(i.publicDnsName()), blankToNull(i.privateDnsName()));
    }

    @Override
    public void stop(String machineId) {
        call("StopInstances", () -> ec2.stopInstances(r -> r.instanceIds(machineId)), null);
    }

    @Override
    public void awaitStopped(String machineId, Duration timeout) {
        await("instance " + machineId + " to stop", "DescribeInstances", Timeouts.INSTANCE, timeout,
                config -> waiter.waitUntilInstanceStopped(DescribeInstancesRequest.builder().instanceIds(machineId).build(),
                        config));
    }

    /**
     * One waiter from launch to stopped: unlike InstanceRunning followed by InstanceStopped it polls through pending,
     * running and stopping, so an instance whose user data powers it off between two polls is still seen stopped
     * (InstanceRunning fails on stopping and never ends on stopped); it retries the NotFound a just-launched instance
     * can answer, and fails when the instance ended instead, with EC2's reason.
     */
    @Override
    public void awaitGuestShutdown(String machineId, Duration timeout) {
        DescribeInstancesRequest request = DescribeInstancesRequest.builder().instanceIds(machineId).build();
        try {
            await("instance " + machineId + " to stop by itself", "DescribeInstances", Timeouts.INSTANCE, timeout,
                    config -> stoppedByItself(config).run(() -> ec2.describeInstances(request)));
        } catch (PlatformException e) {
            if (e.isTimeout()) {
                throw e;
            }
            String reason;
            try {
                Instance ended = describeInstance(machineId);
                reason = ended.stateReason() != null && ended.stateReason().message() != null
                        ? ended.stateReason().message() : blankToNull(ended.stateTransitionReason());
            } catch (RuntimeException unknown) {
                // only to say why: the wait's own error stands
                reason = null;
            }
            throw reason == null ? e : new PlatformException(e.getMessage() + " (" + reason + ")", e);
        }
    }

    private static Waiter<DescribeInstancesResponse> stoppedByItself(WaiterOverrideConfiguration config) {
        return Waiter.builder(DescribeInstancesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(r -> instanceStateIs(r, InstanceStateName.STOPPED)))
                .addAcceptor(WaiterAcceptor.errorOnResponseAcceptor(r -> instanceStateIs(r, InstanceStateName.SHUTTING_DOWN)
                        || instanceStateIs(r, InstanceStateName.TERMINATED), "the instance ended instead of stopping"))
                .addAcceptor(WaiterAcceptor.retryOnExceptionAcceptor(e -> e instanceof Ec2Exception ex
                        && "InvalidInstanceID.NotFound".equals(code(ex))))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> true))
                .overrideConfiguration(config)
                .build();
    }

    private static boolean instanceStateIs(DescribeInstancesResponse r, InstanceStateName state) {
        return r.reservations().stream().flatMap(res -> res.instances().stream())
                .anyMatch(i -> i.state() != null && i.state().name() == state);
    }

    @Override
    public void terminate(String machineId) {
        ignoringGone("TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(machineId)));
    }

    @Override
    public void awaitTerminated(String machineId, Duration timeout) {
        try {
            await("instance " + machineId + " to terminate", "DescribeInstances", Timeouts.INSTANCE, timeout,
                    config -> waiter.waitUntilInstanceTerminated(
                            DescribeInstancesRequest.builder().instanceIds(machineId).build(), config));
        } catch (PlatformException e) {
            if (!(e.getCause() instanceof Ec2Exception ex && GONE.contains(code(ex)))) {
                throw e;
            }
        }
    }

    /** Once TerminateInstances is accepted, EC2 terminates the instance and deletes its volumes on its own. */
    @Override
    public boolean terminationCompletesOnItsOwn() {
        return true;
    }

    /** Windows' sysprep ends with a shutdown, which a builder launched with shutdown behaviour terminate would not survive. */
    @Override
    public void stopOnGuestShutdown(String machineId) {
        call("ModifyInstanceAttribute", () -> ec2.modifyInstanceAttribute(r -> r.instanceId(machineId)
                .instanceInitiatedShutdownBehavior(v -> v.value(ShutdownBehavior.STOP.toString()))), null);
    }

    @Override
    public Optional<String> windowsPassword(String machineId, byte[] privateKey) {
        String data = call("GetPasswordData", () -> ec2.getPasswordData(r -> r.instanceId(machineId)).passwordData(), null);
        if (data == null || data.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(decryptPassword(data.strip(), privateKey));
    }

    /** EC2 encrypts the password with the key pair's RSA public key, PKCS#1 v1.5 padding, and base64-encodes it. */
    /** The instance has left {@code pending}/{@code running}: its state and EC2's reason for it. */
    @Override
    public Optional<String> whyNotRunning(String machineId) {
        Instance i;
        try {
            i = ec2.describeInstances(r -> r.instanceIds(machineId)).reservations().stream()
                    .flatMap(res -> res.instances().stream()).findFirst().orElse(null);
        } catch (Ec2Exception e) {
            if ("InvalidInstanceID.NotFound".equals(code(e))) {
                return Optional.of("instance " + machineId + " no longer exists in " + region);
            }
            throw translate("DescribeInstances", e, null);
        }
        if (i == null) {
            return Optional.of("instance " + machineId + " no longer exists in " + region);
        }
        InstanceStateName state = i.state() == null ? null : i.state().name();
        if (state == null || state == InstanceStateName.PENDING || state == InstanceStateName.RUNNING) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder("instance " + machineId + " is " + i.state().nameAsString());
        if (i.stateReason() != null && i.stateReason().code() != null) {
            why.append(" (").append(i.stateReason().code());
            if (i.stateReason().message() != null && !i.stateReason().message().equals(i.stateReason().code())) {
                why.append(": ").append(i.stateReason().message());
            }
            why.append(")");
        } else if (i.stateTransitionReason() != null && !i.stateTransitionReason().isBlank()) {
            why.append(" (").append(i.stateTransitionReason()).append(")");
        }
        return Optional.of(why.toString());
    }

    @Override
    public Optional<String> consoleOutput(String machineId) {
        // Latest: what the machine printed up to now rather than a snapshot taken at its last state change
        String output = call("GetConsoleOutput", () -> ec2.getConsoleOutput(r -> r.instanceId(machineId).latest(true))
                .output(), null);
        if (output == null || output.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8));
    }

    static String decryptPassword(String passwordData, byte[] privateKey) {
        java.security.interfaces.RSAPrivateKey key;
        try {
            key = SshKeys.rsaPrivateKey(privateKey);
        } catch (IllegalArgumentException e) {
            throw new PlatformException("the Windows password cannot be decrypted with the build's key (" + e.getMessage()
                    + "): EC2 encrypts it for RSA key pairs only; use a temporary key or an RSA <ssh><privateKeyFile>", true);
        }
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            return new String(rsa.doFinal(Base64.getMimeDecoder().decode(passwordData)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the message names no part of the data or the key
            throw new PlatformException("the Windows password data cannot be decrypted with the build's key ("
                    + e.getClass().getSimpleName() + "): is <ssh><privateKeyFile> the private key of <ssh><keyPairName>?", true);
        }
    }

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags) {
        return call("CreateImage", () -> ec2.createImage(r -> r.instanceId(machineId).name(name).description(description)
                .tagSpecifications(tagSpec(ResourceType.IMAGE, tags), tagSpec(ResourceType.SNAPSHOT, tags))).imageId(),
                "check <imageName>");
    }

    /**
     * One waiter from creation to available; unlike the SDK's ImageAvailable it retries the NotFound a just-created
     * image can answer, and its last poll describes the available image, so no other call is needed.
     */
    @Override
    public ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        return awaitImageAvailable(imageId, timeout, Timeouts.IMAGE);
    }

    /** As {@link #awaitImageAvailable(String, Duration)}, naming {@code setting} when it runs out (copies: copy). */
    ImageInfo awaitImageAvailable(String imageId, Duration timeout, String setting) {
        Image image = awaitImage(imageId, timeout, setting);
        return new ImageInfo(image.imageId(), image.name(), image.stateAsString(), image.creationDate(), snapshotIds(image));
    }

    /** Waits until the image is available and returns it as the last poll described it. */
    Image awaitImage(String imageId, Duration timeout, String setting) {
        DescribeImagesRequest request = DescribeImagesRequest.builder().imageIds(imageId).build();
        try {
            return await("image " + imageId + " to become available", "DescribeImages", setting, timeout,
                    config -> imageAvailable(config).run(() -> ec2.describeImages(request))).images().get(0);
        } catch (PlatformException e) {
            Image failed;
            try {
                failed = describeImage(imageId);
            } catch (PlatformException unknown) {
                // what the wait met says more than that asking again met it too
                e.addSuppressed(unknown);
                throw e;
            }
            if (failed != null && "failed".equals(failed.stateAsString())) {
                throw new PlatformException("image " + imageId + " failed: "
                        + (failed.stateReason() == null ? "no reason given" : failed.stateReason().message()), e);
            }
            throw e;
        }
    }

    private static Waiter<DescribeImagesResponse> imageAvailable(WaiterOverrideConfiguration config) {
        return Waiter.builder(DescribeImagesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(r -> !r.images().isEmpty()
                        && r.images().stream().allMatch(i -> i.state() == ImageState.AVAILABLE)))
                .addAcceptor(WaiterAcceptor.errorOnResponseAcceptor(r -> r.images().stream()
                        .anyMatch(i -> i.state() == ImageState.FAILED || i.state() == ImageState.DEREGISTERED),
                        "the image failed"))
                .addAcceptor(WaiterAcceptor.retryOnExceptionAcceptor(e -> e instanceof Ec2Exception ex
                        && "InvalidAMIID.NotFound".equals(code(ex))))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> true))
                .overrideConfiguration(config)
                .build();
    }

    @Override
    public void tagImage(String imageId, Map<String, String> tags) {
        Image image = describeImage(imageId);
        if (image == null) {
            throw new PlatformException("image " + imageId + " does not exist in " + region, true);
        }
        tagImage(imageId, snapshotIds(image), tags);
    }

    @Override
    public void tagImage(ImageInfo image, Map<String, String> tags) {
        tagImage(image.id(), image.snapshotIds(), tags);
    }

    /** Tags the image and these snapshots of it, in one call, when the caller knows them. */
    void tagImage(String imageId, List<String> snapshotIds, Map<String, String> tags) {
        List<String> resources = new ArrayList<>();
        resources.add(imageId);
        resources.addAll(snapshotIds);
        call("CreateTags", () -> ec2.createTags(r -> r.resources(resources).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())), null);
    }

    static List<String> snapshotIds(Image image) {
        return image.blockDeviceMappings().stream().filter(b -> b.ebs() != null && b.ebs().snapshotId() != null)
                .map(b -> b.ebs().snapshotId()).toList();
    }

    @Override
    public void deleteImage(String imageId) {
        Image image = describeImage(imageId);
        if (image == null) {
            return;
        }
        ignoringGone("DeregisterImage", () -> ec2.deregisterImage(r -> r.imageId(imageId)));
        for (BlockDeviceMapping b : image.blockDeviceMappings()) {
            if (b.ebs() != null && b.ebs().snapshotId() != null) {
                ignoringGone("DeleteSnapshot", () -> ec2.deleteSnapshot(r -> r.snapshotId(b.ebs().snapshotId())));
            }
        }
    }

    /**
     * Tags the instance, and the plugin's security groups it uses, {@code ami:kept-until}: the orphan sweep of later
     * builds leaves them alone until then.
     */
    @Override
    public void keepRunning(String machineId) {
        Instance instance = describeInstance(machineId);
        List<String> resources = new ArrayList<>(List.of(machineId));
        List<String> groups = instance.securityGroups().stream().map(g -> g.groupId()).toList();
        if (!groups.isEmpty()) {
            call("DescribeSecurityGroups", () -> ec2.describeSecurityGroups(r -> r.groupIds(groups)).securityGroups()
                    .stream().filter(g -> g.tags().stream().anyMatch(t -> t.key().equals(TaggedResource.BUILD_ID)))
                    .forEach(g -> resources.add(g.groupId())), null);
        }
        String until = java.time.Instant.now().plus(KEPT_FOR).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        call("CreateTags", () -> ec2.createTags(r -> r.resources(resources)
                .tags(Tag.builder().key(TaggedResource.KEPT_UNTIL).value(until).build())), null);
    }

    /**
     * One Describe call (with its pages) per kind of resource, filtered by tag on the server: instances not yet
     * terminated, key pairs, security groups, and the account's own images and snapshots.
     */
    @Override
    public List<TaggedResource> findTagged(String project) {
        Filter ours = project == null ? Filter.builder().name("tag-key").values(TaggedResource.BUILD_ID).build()
                : Filter.builder().name("tag:" + TaggedResource.PROJECT).values(project).build();
        List<TaggedResource> found = new ArrayList<>();
        call("DescribeInstances", () -> ec2.describeInstancesPaginator(r -> r.filters(ours, Filter.builder()
                .name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                .reservations().forEach(res -> res.instances().forEach(i -> found.add(new TaggedResource(
                        TaggedResource.Kind.INSTANCE, i.instanceId(), tagMap(i.tags()), i.state().nameAsString(), null,
                        null)))), null);
        call("DescribeKeyPairs", () -> ec2.describeKeyPairs(r -> r.filters(ours)).keyPairs().forEach(k -> found.add(
                new TaggedResource(TaggedResource.Kind.KEY_PAIR, k.keyName(), tagMap(k.tags()), null, null, null))), null);
        call("DescribeSecurityGroups", () -> ec2.describeSecurityGroupsPaginator(r -> r.filters(ours)).securityGroups()
                .forEach(g -> found.add(new TaggedResource(TaggedResource.Kind.FIREWALL, g.groupId(), tagMap(g.tags()),
                        null, null, null))), null);
        call("DescribeImages", () -> ec2.describeImagesPaginator(r -> r.owners("self").filters(ours)).images()
                .forEach(i -> found.add(new TaggedResource(TaggedResource.Kind.IMAGE, i.imageId(), tagMap(i.tags()),
                        i.stateAsString(), i.blockDeviceMappings().stream()
                                .filter(b -> b.ebs() != null && b.ebs().snapshotId() != null)
                                .map(b -> b.ebs().snapshotId()).toList(), null))), null);
        call("DescribeSnapshots", () -> ec2.describeSnapshotsPaginator(r -> r.ownerIds("self").filters(ours)).snapshots()
                .forEach(sn -> found.add(new TaggedResource(TaggedResource.Kind.SNAPSHOT, sn.snapshotId(),
                        tagMap(sn.tags()), sn.stateAsString(), null, null))), null);
        return found;
    }

    @Override
    public void remove(TaggedResource resource) {
        if (resource.kind() == TaggedResource.Kind.SNAPSHOT) {
            ignoringGone("DeleteSnapshot", () -> ec2.deleteSnapshot(r -> r.snapshotId(resource.id())));
        } else {
            Platform.super.remove(resource);
        }
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    /** The image, or null when it does not exist. */
    private Instance describeInstance(String id) {
        return call("DescribeInstances", () -> ec2.describeInstances(r -> r.instanceIds(id))
                .reservations().get(0).instances().get(0), null);
    }

    Image describeImage(String imageId) {
        try {
            List<Image> images = ec2.describeImages(r -> r.imageIds(imageId)).images();
            return images.isEmpty() ? null : images.get(0);
        } catch (SdkException e) {
            if (GONE.contains(code(e))) {
                return null;
            }
            throw translate("DescribeImages", e, null);
        }
    }

    /**
     * Runs a waiter polling on this platform's {@link PollSchedule} within {@code timeout} (the wait before the first
     * poll included), and returns the response it ended on. {@code poll} is the action the waiter calls.
     */
    private <R> R await(String what, String poll, String setting, Duration timeout,
            Function<WaiterOverrideConfiguration, WaiterResponse<R>> waiter) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            polls.sleepBeforeFirstPoll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while waiting for " + what + " in " + region, e);
        }
        WaiterOverrideConfiguration config = WaiterOverrideConfiguration.builder()
                .waitTimeout(Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime())))
                .maxAttempts(Integer.MAX_VALUE)
                .backoffStrategyV2(polls)
                .build();
        String during = poll + " (waiting for " + what + ")";
        try {
            WaiterResponse<R> response = waiter.apply(config);
            Optional<R> last = response.matched().response();
            if (last.isPresent()) {
                return last.get();
            }
            // an acceptor ended the wait on an exception: there is no response to return
            Throwable ended = response.matched().exception().orElse(null);
            throw ended instanceof SdkException sdk ? translate(during, sdk, null) : new PlatformException("gave up waiting for "
                    + what + " in " + region + ": " + (ended == null ? "the waiter ended without an answer" : ended), ended);
        } catch (SdkClientException e) {
            if (e.getCause() instanceof SdkException cause) {
                // a poll failed in a way no acceptor expects: report that failure, not the waiter's
                throw translate(during, cause, null);
            }
            if (e.getCause() instanceof PlatformException cause) {
                throw cause;
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("max wait time") || message.contains("exceeded")) {
                throw PlatformException.timedOut("timed out waiting for " + what + " in " + region, timeout, setting, e);
            }
            // the waiter's own verdict (an acceptor moved it to failure), not a failed call
            throw new PlatformException("gave up waiting for " + what + " in " + region + ": " + message, e);
        } catch (SdkException e) {
            throw translate(during, e, null);
        }
    }

    <T> T call(String action, Supplier<T> call, String hint) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(action, e, hint);
        }
    }

    void call(String action, Runnable call, String hint) {
        call(action, () -> {
            call.run();
            return null;
        }, hint);
    }

    private void ignoringGone(String action, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            if (!GONE.contains(code(e))) {
                throw translate(action, e, null);
            }
        }
    }

    /**
     * The failure of {@code action} as the build reports it. Anything the SDK throws gets here, including answers
     * that are not EC2's, which have no error code.
     */
    PlatformException translate(String action, SdkException e, String hint) {
        String code = code(e);
        String message = "EC2 " + action + " in " + region + " failed: " + AwsFailures.describe(e, "EC2", endpoint());
        if (USER_ERRORS.contains(code)) {
            if ("AuthFailure".equals(code) || "UnauthorizedOperation".equals(code) || "InvalidClientTokenId".equals(code)) {
                hint = "check the AWS credentials (<profile>, <roleArn>, AWS_ACCESS_KEY_ID) and their IAM permissions";
            }
            return new PlatformException(message + (hint == null ? "" : " (" + hint + ")"), true);
        }
        return new PlatformException(message, e);
    }

    /** Where this platform's calls go, for messages about answers that did not come from EC2. */
    private String endpoint() {
        String known = endpoint;
        if (known == null) {
            try {
                known = AwsFailures.endpoint(ec2.serviceClientConfiguration(), Ec2Client.serviceMetadata());
            } catch (RuntimeException noConfiguration) {
                known = "the EC2 endpoint of " + region;
            }
            endpoint = known;
        }
        return known;
    }

    /** The error code, or "" when the answer had none. */
    private static String code(SdkException e) {
        return AwsFailures.code(e);
    }

    static TagSpecification tagSpec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type)
                .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
                .build();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
