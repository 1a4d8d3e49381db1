package io.github.amimaven.platform;

import java.util.List;
import java.util.Map;

/**
 * What to start a machine with. Platform-specific fields that a platform does not use are ignored by it.
 *
 * @param imageId the source image id
 * @param instanceType EC2 instance type; local: ignored (see cpus/memory on the local platform)
 * @param keyName the name returned by {@link Platform#importKeyPair}
 * @param publicKeyOpenSsh the same key's public half, for platforms that inject it themselves (cloud-init)
 * @param securityGroupIds firewalls to attach (the temporary one, or the user's)
 * @param subnetId EC2 subnet
 * @param iamInstanceProfile EC2 instance profile name or ARN
 * @param rootVolumeSizeGb root volume size, null for the image's own
 * @param rootVolumeType EC2 volume type (gp3, gp2, io1…), null for the image's own
 * @param userData user data as written by the user (the platform encodes it)
 * @param requireImdsV2 require session tokens for the instance metadata service
 * @param associatePublicIp null for the subnet's default
 * @param tags tags for the machine and its volumes, applied at creation
 * @param stopOnGuestShutdown the machine stops, rather than ends, when its own operating system shuts it down (EC2:
 *        instance-initiated shutdown behaviour {@code stop}); false: it ends ({@code terminate}). Local VMs always
 *        stop: QEMU exits and the disk stays until the VM is terminated
 */
public record LaunchSpec(String imageId, String instanceType, String keyName, String publicKeyOpenSsh,
        List<String> securityGroupIds, String subnetId, String iamInstanceProfile, Integer rootVolumeSizeGb,
        String rootVolumeType, String userData, boolean requireImdsV2, Boolean associatePublicIp,
        Map<String, String> tags, boolean stopOnGuestShutdown) {

    public LaunchSpec {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A machine that ends when its operating system shuts it down. */
    public LaunchSpec(String imageId, String instanceType, String keyName, String publicKeyOpenSsh,
            List<String> securityGroupIds, String subnetId, String iamInstanceProfile, Integer rootVolumeSizeGb,
            String rootVolumeType, String userData, boolean requireImdsV2, Boolean associatePublicIp,
            Map<String, String> tags) {
        this(imageId, instanceType, keyName, publicKeyOpenSsh, securityGroupIds, subnetId, iamInstanceProfile,
                rootVolumeSizeGb, rootVolumeType, userData, requireImdsV2, associatePublicIp, tags, false);
    }
}
