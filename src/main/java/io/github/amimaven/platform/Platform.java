package io.github.amimaven.platform;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.Volume;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One place to run machines and keep images: EC2, or QEMU on the build machine. The pipeline's steps call only
 * this interface, so a platform is added by implementing it, without touching the pipeline.
 *
 * <p>Every call that creates something returns its id as soon as the platform has it, before any wait, so that
 * a step can record it and clean it up even when the wait that follows fails. Every delete is idempotent: a
 * resource that is already gone counts as deleted.</p>
 */
public interface Platform extends AutoCloseable {

    /** {@code ec2} or {@code local}. */
    String id();

    /** Where images live: the region for EC2, the store directory for local. */
    String location();

    SourceImage resolveSource(SourceSpec source);

    /** Registers the public half of a key the build generated; returns the platform's name for it. */
    String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags);

    void deleteKeyPair(String keyName);

    /**
     * Creates a firewall that admits SSH on {@code port} from {@code cidrs} only; empty when the platform has no
     * such thing (local VMs listen on loopback only).
     */
    Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags);

    void deleteFirewall(String firewallId);

    /**
     * The network (EC2: subnet) that matches every filter (name to accepted values); of several, the one with the most
     * free addresses, ties broken by the lowest id. Fails naming {@code <subnetFilter>} when none matches.
     */
    default String chooseNetwork(Map<String, List<String>> filters) {
        throw new PlatformException("the " + id() + " platform has no subnets to choose: remove <subnetFilter>", true);
    }

    /**
     * Every firewall (EC2: security group) that matches every filter, in {@code network}'s (EC2: the subnet's VPC) when
     * it is not null, ordered by id. Fails naming {@code <securityGroupFilter>} when none matches.
     */
    default List<String> findFirewalls(Map<String, List<String>> filters, String network) {
        throw new PlatformException("the " + id() + " platform has no security groups to choose: remove <securityGroupFilter>",
                true);
    }

    /** Starts a machine and returns its id without waiting for it to run. */
    String launch(LaunchSpec spec);

    Machine awaitRunning(String machineId, Duration timeout);

    void stop(String machineId);

    void awaitStopped(String machineId, Duration timeout);

    /**
     * Waits until a machine launched with {@link LaunchSpec#stopOnGuestShutdown} has been powered off by its own
     * operating system (user data that ends with a power-off), counting from its launch: it may still be starting,
     * and it may run and stop between two looks. Nothing asks it to stop. A timeout names {@code <timeouts><instance>}
     * and leaves the machine for {@link #terminate}; a machine that ended instead of stopping fails the wait.
     * Default: {@link #awaitStopped}, for platforms where that holds from launch on.
     */
    default void awaitGuestShutdown(String machineId, Duration timeout) {
        awaitStopped(machineId, timeout);
    }

    void terminate(String machineId);

    void awaitTerminated(String machineId, Duration timeout);

    /**
     * Whether a machine finishes terminating by itself once {@link #terminate} was accepted, so that only what depends
     * on its end (a firewall to delete) needs to wait for it. EC2: yes. Locally the build waits, because the QEMU
     * process and the machine's files must not outlive it.
     */
    default boolean terminationCompletesOnItsOwn() {
        return false;
    }

    /**
     * Makes the machine stop, rather than end, when its own operating system shuts it down: called before a Windows
     * sysprep that ends with a shutdown, on a builder launched to be removed by any shutdown. Platforms whose
     * machines simply stop need do nothing.
     */
    default void stopOnGuestShutdown(String machineId) {
    }

    /**
     * The machine's Windows administrator password as the platform holds it (EC2: GetPasswordData, encrypted with
     * the key pair's public key), decrypted with {@code privateKey}; empty while the machine has not posted it yet.
     * Never log the result.
     */
    default Optional<String> windowsPassword(String machineId, byte[] privateKey) {
        throw new PlatformException("the " + id() + " platform keeps no Windows passwords: remove <windows><getPassword>",
                true);
    }

    /**
     * What the machine printed to its console since it booted (EC2: GetConsoleOutput); empty when the platform
     * keeps none or the machine printed nothing yet. {@code <ssh><strictHostKeys>} reads the host key
     * fingerprints cloud-init prints there.
     */
    default Optional<String> consoleOutput(String machineId) {
        return Optional.empty();
    }

    /**
     * Why the machine can no longer run what the build waits on (it stopped, ended, powered itself off or faulted), with
     * the platform's own reason; empty while it runs or still starts. Asked every {@link #watchInterval()} while the
     * build waits on the machine, so it must be cheap (EC2: one DescribeInstances).
     */
    default Optional<String> whyNotRunning(String machineId) {
        return Optional.empty();
    }

    /** How often {@link #whyNotRunning} is asked while the build waits on a machine. */
    default Duration watchInterval() {
        return Duration.ofSeconds(10);
    }

    /** Starts capturing a stopped machine's disk as an image and returns the image id without waiting. */
    String createImage(String machineId, String name, String description, Map<String, String> tags);

    /**
     * As {@link #createImage(String, String, String, Map)}, with further disks in the image (EC2: CreateImage block
     * device mappings). Platforms without such disks refuse any.
     */
    default String createImage(String machineId, String name, String description, Map<String, String> tags,
            List<Volume> imageDisks) {
        if (!imageDisks.isEmpty()) {
            throw new PlatformException("the " + id() + " platform adds no disks to images: remove <imageVolumes>", true);
        }
        return createImage(machineId, name, description, tags);
    }

    ImageInfo awaitImageAvailable(String imageId, Duration timeout);

    /** How long a machine kept for debugging is spared by the orphan sweep of later builds. */
    Duration KEPT_FOR = Duration.ofHours(24);

    /**
     * The machine outlives this build (a test instance kept for debugging): closing the platform must leave it
     * running, and the orphan sweep spares it (and the firewall it needs) for {@link #KEPT_FOR}. Removing it is then
     * the user's job, or {@code ami:clean-orphans}' once that time has passed.
     */
    default void keepRunning(String machineId) {
    }

    /** Adds or replaces tags on an image and the storage behind it (EC2: its snapshots too). */
    void tagImage(String imageId, Map<String, String> tags);

    /** As {@link #tagImage(String, Map)} for an image just waited for, whose storage need not be looked up. */
    default void tagImage(ImageInfo image, Map<String, String> tags) {
        tagImage(image.id(), tags);
    }

    /** Deletes an image and the storage behind it (EC2: deregister and delete its snapshots). */
    void deleteImage(String imageId);

    /**
     * The resources here that the plugin tagged with {@link TaggedResource#BUILD_ID}, of one project
     * ({@code groupId:artifactId}) or, when {@code project} is null, of all; for the orphan sweep. Instances already
     * terminated (or terminating) are not listed. Default: none (a platform that keeps nothing between builds).
     */
    default List<TaggedResource> findTagged(String project) {
        return List.of();
    }

    /**
     * Removes a resource {@link #findTagged} found; one already gone counts as removed. An instance is only asked
     * to terminate: the caller waits with {@link #awaitTerminated}.
     */
    default void remove(TaggedResource resource) {
        switch (resource.kind()) {
            case INSTANCE -> terminate(resource.id());
            case KEY_PAIR -> deleteKeyPair(resource.id());
            case FIREWALL -> deleteFirewall(resource.id());
            case IMAGE -> deleteImage(resource.id());
            case SNAPSHOT -> throw new UnsupportedOperationException(id() + " has no snapshots to remove");
        }
    }

    @Override
    default void close() {
    }
}
