package io.github.amimaven.model;

import java.util.Collections;
import java.util.List;

/**
 * How the builder machine is launched (EC2 fields; the local platform ignores what it has no use for).
 *
 * @param instanceTypes {@code <instanceTypes>}: the machine types tried in turn while the platform has no capacity
 *        for one; empty when a single {@code instanceType} is set
 * @param spot on spare capacity ({@code <spot>}); null: on demand
 */
public record LaunchOptions(String instanceType, String subnetId, List<String> securityGroupIds,
        String iamInstanceProfile, Integer rootVolumeSize, String rootVolumeType, String userData,
        boolean requireImdsV2, Boolean associatePublicIp, List<String> instanceTypes, SpotOptions spot) {

    public LaunchOptions {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        instanceTypes = instanceTypes == null ? List.of() : List.copyOf(instanceTypes);
    }

    /** On demand, of one instance type. */
    public LaunchOptions(String instanceType, String subnetId, List<String> securityGroupIds,
            String iamInstanceProfile, Integer rootVolumeSize, String rootVolumeType, String userData,
            boolean requireImdsV2, Boolean associatePublicIp) {
        this(instanceType, subnetId, securityGroupIds, iamInstanceProfile, rootVolumeSize, rootVolumeType, userData,
                requireImdsV2, associatePublicIp, List.of(), null);
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
                rootVolumeType, other, requireImdsV2, associatePublicIp, instanceTypes, spot);
    }
}
