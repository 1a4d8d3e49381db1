package io.github.amimaven.platform;

import java.util.List;
import java.util.Map;

import io.github.amimaven.model.Volume;

/**
 * What a machine needs to start, in no platform's terms: each platform translates it into its own (EC2: a
 * RunInstances request) and ignores what it has no use for.
 *
 * @param imageId the source image id
 * @param machineType the machine's size as the platform names it (EC2: an instance type), or null for the
 *        platform's own (local: see cpus and memory on the local platform)
 * @param keyName the name returned by {@link Platform#importKeyPair}
 * @param publicKeyOpenSsh the same key's public half, for platforms that inject it themselves (cloud-init)
 * @param firewallIds firewalls to attach (the temporary one, or the user's)
 * @param network where in the network the machine is placed (EC2: a subnet), or null for the default
 * @param machineRole the identity the machine acts as towards the platform's services (EC2: an instance profile
 *        name or ARN), or null for none
 * @param rootDiskSizeGb root disk size, null for the image's own
 * @param rootDiskKind the root disk's kind as the platform names it (EC2: a volume type, gp3, io1…), null for the
 *        image's own
 * @param userData user data as written by the user (the platform encodes it)
 * @param metadataTokensRequired the machine's metadata service answers only requests with a session token (EC2:
 *        IMDSv2)
 * @param publicAddress whether the machine gets a public address; null for the network's default
 * @param tags tags for the machine and its disks, applied at creation
 * @param stopOnGuestShutdown the machine stops, rather than ends, when its own operating system shuts it down (EC2:
 *        instance-initiated shutdown behaviour {@code stop}); false: it ends ({@code terminate}). Local VMs always
 *        stop: QEMU exits and the disk stays until the VM is terminated
 * @param spot the machine runs on the platform's spare capacity, for less, and ends when the platform takes it back
 *        (EC2: a one-time spot instance, terminated on interruption)
 * @param spotMaxPrice with {@code spot}, the most an hour of the machine may cost (EC2: MaxPrice, in US dollars);
 *        null: up to the on-demand price
 * @param rootDiskIops the root disk's provisioned IOPS, null for the kind's default
 * @param rootDiskThroughput the root disk's throughput in MiB/s, null for the kind's default
 * @param rootDiskEncrypted the root disk is created encrypted (with {@code rootDiskKeyId}, or the platform's default
 *        key), and so is an image captured from it
 * @param rootDiskKeyId the key that encrypts the root disk, null for the platform's default
 * @param extraDisks further disks attached to the machine
 */
public record LaunchSpec(String imageId, String machineType, String keyName, String publicKeyOpenSsh,
        List<String> firewallIds, String network, String machineRole, Integer rootDiskSizeGb,
        String rootDiskKind, String userData, boolean metadataTokensRequired, Boolean publicAddress,
        Map<String, String> tags, boolean stopOnGuestShutdown, boolean spot, String spotMaxPrice, Integer rootDiskIops,
        Integer rootDiskThroughput, boolean rootDiskEncrypted, String rootDiskKeyId, List<Volume> extraDisks) {

    public LaunchSpec {
        firewallIds = firewallIds == null ? List.of() : List.copyOf(firewallIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        extraDisks = extraDisks == null ? List.of() : List.copyOf(extraDisks);
    }

    /** A machine on demand, with the image's own disks, no more. */
    public LaunchSpec(String imageId, String machineType, String keyName, String publicKeyOpenSsh,
            List<String> firewallIds, String network, String machineRole, Integer rootDiskSizeGb,
            String rootDiskKind, String userData, boolean metadataTokensRequired, Boolean publicAddress,
            Map<String, String> tags, boolean stopOnGuestShutdown) {
        this(imageId, machineType, keyName, publicKeyOpenSsh, firewallIds, network, machineRole, rootDiskSizeGb,
                rootDiskKind, userData, metadataTokensRequired, publicAddress, tags, stopOnGuestShutdown, false, null, null,
                null, false, null, null);
    }

    /** A machine that ends when its operating system shuts it down. */
    public LaunchSpec(String imageId, String machineType, String keyName, String publicKeyOpenSsh,
            List<String> firewallIds, String network, String machineRole, Integer rootDiskSizeGb,
            String rootDiskKind, String userData, boolean metadataTokensRequired, Boolean publicAddress,
            Map<String, String> tags) {
        this(imageId, machineType, keyName, publicKeyOpenSsh, firewallIds, network, machineRole, rootDiskSizeGb,
                rootDiskKind, userData, metadataTokensRequired, publicAddress, tags, false);
    }

    /**
     * The same machine of another type, on spot capacity at up to {@code maxPrice} or on demand. A machine on spot
     * capacity ends when its operating system shuts it down, since it cannot be stopped (EC2: one-time spot instances).
     */
    public LaunchSpec as(String otherMachineType, boolean onSpot, String maxPrice) {
        return new LaunchSpec(imageId, otherMachineType, keyName, publicKeyOpenSsh, firewallIds, network, machineRole,
                rootDiskSizeGb, rootDiskKind, userData, metadataTokensRequired, publicAddress, tags,
                stopOnGuestShutdown && !onSpot, onSpot, onSpot ? maxPrice : null, rootDiskIops, rootDiskThroughput,
                rootDiskEncrypted, rootDiskKeyId, extraDisks);
    }
}
