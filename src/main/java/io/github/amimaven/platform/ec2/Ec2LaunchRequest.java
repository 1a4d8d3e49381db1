package io.github.amimaven.platform.ec2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.amimaven.model.Volume;
import io.github.amimaven.platform.LaunchSpec;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.InstanceInterruptionBehavior;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.SpotInstanceType;

/** What a {@link LaunchSpec} is in EC2's terms: one RunInstances request. */
final class Ec2LaunchRequest {

    private Ec2LaunchRequest() {
    }

    /**
     * @param rootDeviceName the source image's root device, which a root disk of another size or kind replaces
     */
    static RunInstancesRequest of(LaunchSpec spec, String rootDeviceName) {
        RunInstancesRequest.Builder r = RunInstancesRequest.builder()
                .imageId(spec.imageId())
                .instanceType(spec.machineType())
                .minCount(1).maxCount(1)
                .keyName(spec.keyName())
                .instanceInitiatedShutdownBehavior(spec.stopOnGuestShutdown() ? ShutdownBehavior.STOP : ShutdownBehavior.TERMINATE)
                .tagSpecifications(Ec2Calls.tagSpec(ResourceType.INSTANCE, spec.tags()),
                        Ec2Calls.tagSpec(ResourceType.VOLUME, spec.tags()),
                        Ec2Calls.tagSpec(ResourceType.NETWORK_INTERFACE, spec.tags()));
        String profile = spec.machineRole();
        if (profile != null) {
            r.iamInstanceProfile(p -> {
                if (profile.startsWith("arn:")) {
                    p.arn(profile);
                } else {
                    p.name(profile);
                }
            });
        }
        if (spec.metadataTokensRequired()) {
            r.metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED).httpEndpoint("enabled"));
        }
        if (spec.userData() != null) {
            r.userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)));
        }
        if (spec.publicAddress() != null) {
            r.networkInterfaces(n -> n.deviceIndex(0).subnetId(spec.network()).groups(spec.firewallIds())
                    .associatePublicIpAddress(spec.publicAddress()).deleteOnTermination(true));
        } else {
            r.subnetId(spec.network());
            if (!spec.firewallIds().isEmpty()) {
                r.securityGroupIds(spec.firewallIds());
            }
        }
        if (spec.spot()) {
            // one-time and terminated on interruption: nothing outlives the instance, and no request relaunches it
            r.instanceMarketOptions(m -> m.marketType(MarketType.SPOT).spotOptions(o -> o.maxPrice(spec.spotMaxPrice())
                    .spotInstanceType(SpotInstanceType.ONE_TIME)
                    .instanceInterruptionBehavior(InstanceInterruptionBehavior.TERMINATE)));
        }
        List<BlockDeviceMapping> disks = new ArrayList<>();
        if (spec.rootDiskSizeGb() != null || spec.rootDiskKind() != null || spec.rootDiskIops() != null
                || spec.rootDiskThroughput() != null || spec.rootDiskEncrypted()) {
            disks.add(mapping(new Volume(rootDeviceName, spec.rootDiskSizeGb(), spec.rootDiskKind(), spec.rootDiskIops(),
                    spec.rootDiskThroughput(), spec.rootDiskEncrypted(), spec.rootDiskKeyId(), null, true)));
        }
        spec.extraDisks().forEach(v -> disks.add(mapping(v)));
        if (!disks.isEmpty()) {
            r.blockDeviceMappings(disks);
        }
        return r.build();
    }

    /**
     * One EBS mapping, of RunInstances or CreateImage. Encryption is sent only when asked for: {@code Encrypted=false}
     * on a volume of an encrypted snapshot, or in an account that encrypts by default, is refused.
     */
    static BlockDeviceMapping mapping(Volume v) {
        return BlockDeviceMapping.builder().deviceName(v.deviceName()).ebs(e -> {
            e.volumeSize(v.sizeGb()).volumeType(v.type()).iops(v.iops()).throughput(v.throughput())
                    .snapshotId(v.snapshotId()).deleteOnTermination(v.deleteOnTermination());
            if (v.encrypted()) {
                e.encrypted(true).kmsKeyId(v.kmsKeyId());
            }
        }).build();
    }
}
