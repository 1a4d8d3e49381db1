package io.github.amimaven.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How the builder machine is launched (EC2 fields; the local platform ignores what it has no use for).
 *
 * @param instanceTypes {@code <instanceTypes>}: the machine types tried in turn while the platform has no capacity
 *        for one; empty when a single {@code instanceType} is set
 * @param spot on spare capacity ({@code <spot>}); null: on demand
 * @param rootVolumeEncrypted the root volume is launched encrypted (with {@code rootVolumeKmsKeyId}, or the account's
 *        default EBS key), so the image's root snapshot is encrypted with that key
 * @param launchVolumes extra volumes attached to the builder
 * @param imageVolumes block device mappings added to the image when it is captured
 * @param subnetFilter filters choosing the subnet (the one with the most free addresses wins) when no
 *        {@code subnetId} is set; empty for none
 * @param securityGroupFilter filters choosing security groups to attach, all that match; empty for none
 * @param runTags the user's tags on every temporary resource (machine, its disks and network interfaces, key pair,
 *        firewall), at creation
 */
public record LaunchOptions(String instanceType, String subnetId, List<String> securityGroupIds,
        String iamInstanceProfile, Integer rootVolumeSize, String rootVolumeType, String userData,
        boolean requireImdsV2, Boolean associatePublicIp, List<String> instanceTypes, SpotOptions spot,
        Integer rootVolumeIops, Integer rootVolumeThroughput, boolean rootVolumeEncrypted, String rootVolumeKmsKeyId,
        List<Volume> launchVolumes, List<Volume> imageVolumes, Map<String, List<String>> subnetFilter,
        Map<String, List<String>> securityGroupFilter, Map<String, String> runTags) {

    public LaunchOptions {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        instanceTypes = instanceTypes == null ? List.of() : List.copyOf(instanceTypes);
        launchVolumes = launchVolumes == null ? List.of() : List.copyOf(launchVolumes);
        imageVolumes = imageVolumes == null ? List.of() : List.copyOf(imageVolumes);
        subnetFilter = subnetFilter == null ? Map.of() : Map.copyOf(subnetFilter);
        securityGroupFilter = securityGroupFilter == null ? Map.of() : Map.copyOf(securityGroupFilter);
        runTags = runTags == null ? Map.of() : Map.copyOf(runTags);
    }

    /** On demand, of one instance type, with the source image's disks, the given network and no user tags. */
    public LaunchOptions(String instanceType, String subnetId, List<String> securityGroupIds,
            String iamInstanceProfile, Integer rootVolumeSize, String rootVolumeType, String userData,
            boolean requireImdsV2, Boolean associatePublicIp) {
        this(instanceType, subnetId, securityGroupIds, iamInstanceProfile, rootVolumeSize, rootVolumeType, userData,
                requireImdsV2, associatePublicIp, List.of(), null, null, null, false, null, null, null, null, null, null);
    }

    /**
     * The machine types to try, in order: {@code <instanceTypes>}, or the one {@code <instanceType>} (a list holding
     * null when the platform sizes machines itself).
     */
    public List<String> machineTypesInTurn() {
        return instanceTypes.isEmpty() ? Collections.singletonList(instanceType) : instanceTypes;
    }

    /** The same options with other user data. */
    public LaunchOptions withUserData(String other) {
        return new LaunchOptions(instanceType, subnetId, securityGroupIds, iamInstanceProfile, rootVolumeSize,
                rootVolumeType, other, requireImdsV2, associatePublicIp, instanceTypes, spot, rootVolumeIops,
                rootVolumeThroughput, rootVolumeEncrypted, rootVolumeKmsKeyId, launchVolumes, imageVolumes, subnetFilter,
                securityGroupFilter, runTags);
    }

    /** Whether the subnet or security groups are chosen by filter when the machine is launched. */
    public boolean choosesNetworkByFilter() {
        return !subnetFilter.isEmpty() || !securityGroupFilter.isEmpty();
    }
}
