package io.github.amimaven.platform.ec2;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
                        Ec2Calls.tagSpec(ResourceType.VOLUME, spec.tags()));
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
        if (spec.rootDiskSizeGb() != null || spec.rootDiskKind() != null) {
            r.blockDeviceMappings(BlockDeviceMapping.builder().deviceName(rootDeviceName).ebs(e -> e
                    .volumeSize(spec.rootDiskSizeGb()).volumeType(spec.rootDiskKind()).deleteOnTermination(true)).build());
        }
        return r.build();
    }
}
