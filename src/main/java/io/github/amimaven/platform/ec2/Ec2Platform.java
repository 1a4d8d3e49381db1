package io.github.amimaven.platform.ec2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.Volume;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.platform.TaggedResource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * EC2 through the AWS SDK for Java v2. Waits use the SDK's waiters on a {@link PollSchedule} (first poll after
 * 0.5 s, then backing off ×1.5 to 15 s; no fixed long sleeps), bounded by the caller's timeout; throttling and transient errors are retried by the client's retry
 * strategy. Every resource is tagged in the call that creates it.
 *
 * This class is the {@link Platform} the build sees; the work is done by {@link Ec2Images}, {@link Ec2Instances} and
 * {@link Ec2KeysAndFirewalls}, through {@link Ec2Calls}.
 */
public final class Ec2Platform implements Platform {

    /** How long a security group may stay in use by a terminated builder's network interface. */
    static final Duration FIREWALL_RELEASE_TIMEOUT = Duration.ofMinutes(5);

    private final Ec2Client ec2;
    private final String region;
    private final Ec2Calls calls;
    private final Ec2Images images;
    private final Ec2Instances instances;
    private final Ec2KeysAndFirewalls access;

    public Ec2Platform(Ec2Client ec2, String region) {
        this(ec2, region, FIREWALL_RELEASE_TIMEOUT);
    }

    /** With another bound on waiting out {@code DependencyViolation} when deleting a security group (tests). */
    Ec2Platform(Ec2Client ec2, String region, Duration firewallReleaseTimeout) {
        this.ec2 = ec2;
        this.region = region;
        this.calls = new Ec2Calls(ec2, region);
        this.images = new Ec2Images(calls);
        this.instances = new Ec2Instances(calls, images);
        this.access = new Ec2KeysAndFirewalls(calls, firewallReleaseTimeout);
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
        return images.resolveSource(source);
    }

    @Override
    public String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        return access.importKeyPair(name, publicKeyOpenSsh, tags);
    }

    @Override
    public void deleteKeyPair(String keyName) {
        access.deleteKeyPair(keyName);
    }

    @Override
    public Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        return access.createSshFirewall(name, cidrs, port, subnetId, tags);
    }

    @Override
    public void deleteFirewall(String firewallId) {
        access.deleteFirewall(firewallId);
    }

    @Override
    public String chooseNetwork(Map<String, List<String>> filters) {
        return access.chooseSubnet(filters);
    }

    @Override
    public List<String> findFirewalls(Map<String, List<String>> filters, String network) {
        return access.findSecurityGroups(filters, network);
    }

    @Override
    public String launch(LaunchSpec spec) {
        return instances.launch(spec);
    }

    @Override
    public Machine awaitRunning(String machineId, Duration timeout) {
        return instances.awaitRunning(machineId, timeout);
    }

    @Override
    public void stop(String machineId) {
        instances.stop(machineId);
    }

    @Override
    public void awaitStopped(String machineId, Duration timeout) {
        instances.awaitStopped(machineId, timeout);
    }

    @Override
    public void awaitGuestShutdown(String machineId, Duration timeout) {
        instances.awaitGuestShutdown(machineId, timeout);
    }

    @Override
    public void terminate(String machineId) {
        instances.terminate(machineId);
    }

    @Override
    public void awaitTerminated(String machineId, Duration timeout) {
        instances.awaitTerminated(machineId, timeout);
    }

    /** Once TerminateInstances is accepted, EC2 terminates the instance and deletes its volumes on its own. */
    @Override
    public boolean terminationCompletesOnItsOwn() {
        return true;
    }

    @Override
    public void stopOnGuestShutdown(String machineId) {
        instances.stopOnGuestShutdown(machineId);
    }

    @Override
    public Optional<String> windowsPassword(String machineId, byte[] privateKey) {
        return instances.windowsPassword(machineId, privateKey);
    }

    @Override
    public Optional<String> whyNotRunning(String machineId) {
        return instances.whyNotRunning(machineId);
    }

    @Override
    public Optional<String> consoleOutput(String machineId) {
        return instances.consoleOutput(machineId);
    }

    @Override
    public void keepRunning(String machineId) {
        instances.keepRunning(machineId);
    }

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags) {
        return images.createImage(machineId, name, description, tags, List.of());
    }

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags,
            List<Volume> imageDisks) {
        return images.createImage(machineId, name, description, tags, imageDisks);
    }

    @Override
    public ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        return images.awaitImageAvailable(imageId, timeout);
    }

    @Override
    public void tagImage(String imageId, Map<String, String> tags) {
        images.tagImage(imageId, tags);
    }

    @Override
    public void tagImage(ImageInfo image, Map<String, String> tags) {
        images.tagImage(image.id(), image.snapshotIds(), tags);
    }

    @Override
    public void deleteImage(String imageId) {
        images.deleteImage(imageId);
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
        calls.call("DescribeInstances", () -> ec2.describeInstancesPaginator(r -> r.filters(ours, Filter.builder()
                .name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                .reservations().forEach(res -> res.instances().forEach(i -> found.add(new TaggedResource(
                        TaggedResource.Kind.INSTANCE, i.instanceId(), tagMap(i.tags()), i.state().nameAsString(), null,
                        null)))), null);
        calls.call("DescribeKeyPairs", () -> ec2.describeKeyPairs(r -> r.filters(ours)).keyPairs().forEach(k -> found.add(
                new TaggedResource(TaggedResource.Kind.KEY_PAIR, k.keyName(), tagMap(k.tags()), null, null, null))), null);
        calls.call("DescribeSecurityGroups", () -> ec2.describeSecurityGroupsPaginator(r -> r.filters(ours)).securityGroups()
                .forEach(g -> found.add(new TaggedResource(TaggedResource.Kind.FIREWALL, g.groupId(), tagMap(g.tags()),
                        null, null, null))), null);
        calls.call("DescribeImages", () -> ec2.describeImagesPaginator(r -> r.owners("self").filters(ours)).images()
                .forEach(i -> found.add(new TaggedResource(TaggedResource.Kind.IMAGE, i.imageId(), tagMap(i.tags()),
                        i.stateAsString(), i.blockDeviceMappings().stream()
                                .filter(b -> b.ebs() != null && b.ebs().snapshotId() != null)
                                .map(b -> b.ebs().snapshotId()).toList(), null))), null);
        calls.call("DescribeSnapshots", () -> ec2.describeSnapshotsPaginator(r -> r.ownerIds("self").filters(ours)).snapshots()
                .forEach(sn -> found.add(new TaggedResource(TaggedResource.Kind.SNAPSHOT, sn.snapshotId(),
                        tagMap(sn.tags()), sn.stateAsString(), null, null))), null);
        return found;
    }

    @Override
    public void remove(TaggedResource resource) {
        if (resource.kind() == TaggedResource.Kind.SNAPSHOT) {
            calls.ignoringGone("DeleteSnapshot", () -> ec2.deleteSnapshot(r -> r.snapshotId(resource.id())));
        } else {
            Platform.super.remove(resource);
        }
    }

    private static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        tags.forEach(t -> m.put(t.key(), t.value()));
        return m;
    }

    // what Ec2ReleasePlatform does with this region's images

    Image describeImage(String imageId) {
        return images.describeImage(imageId);
    }

    Image awaitImage(String imageId, Duration timeout, String setting) {
        return images.awaitImage(imageId, timeout, setting);
    }

    void tagImage(String imageId, List<String> snapshotIds, Map<String, String> tags) {
        images.tagImage(imageId, snapshotIds, tags);
    }

    <T> T call(String action, Supplier<T> call, String hint) {
        return calls.call(action, call, hint);
    }

    void call(String action, Runnable call, String hint) {
        calls.call(action, call, hint);
    }
}
