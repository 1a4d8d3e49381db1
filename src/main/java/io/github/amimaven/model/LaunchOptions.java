package io.github.amimaven.model;

import java.util.List;

/** How the builder machine is launched (EC2 fields; the local platform ignores what it has no use for). */
public record LaunchOptions(String instanceType, String subnetId, List<String> securityGroupIds,
        String iamInstanceProfile, Integer rootVolumeSize, String rootVolumeType, String userData,
        boolean requireImdsV2, Boolean associatePublicIp) {

    public LaunchOptions {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
    }

    /** The same options with other user data. */
    public LaunchOptions withUserData(String other) {
        return new LaunchOptions(instanceType, subnetId, securityGroupIds, iamInstanceProfile, rootVolumeSize,
                rootVolumeType, other, requireImdsV2, associatePublicIp);
    }
}
