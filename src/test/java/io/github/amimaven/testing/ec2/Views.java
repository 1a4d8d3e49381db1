package io.github.amimaven.testing.ec2;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable snapshots of the endpoint's resources for test assertions and the admin API's JSON. Times are
 * ISO-8601 strings, as EC2 prints them, so that the JSON needs no extra Jackson modules.
 */
public final class Views {

    private Views() {
    }

    public record BlockDevice(String deviceName, String snapshotId, String volumeId, Integer volumeSize,
            String volumeType, boolean deleteOnTermination, Integer iops, Integer throughput, boolean encrypted,
            String kmsKeyId) {
    }

    public record Instance(String instanceId, String state, String imageId, String instanceType, String keyName,
            List<String> securityGroupIds, String subnetId, String vpcId, String iamInstanceProfileArn,
            String userData, String httpTokens, String httpEndpoint, String shutdownBehavior,
            String privateIpAddress, String publicIpAddress, String privateDnsName, String publicDnsName,
            String launchTime, Map<String, String> tags, Map<String, String> volumeTags,
            List<BlockDevice> blockDevices, boolean sshRunning, Map<String, String> networkInterfaceTags) {
    }

    public record Image(String imageId, String name, String state, String stateReason, String ownerId,
            String creationDate, String description, String architecture, boolean isPublic,
            Map<String, String> tags, List<BlockDevice> blockDevices, List<String> snapshotIds,
            Set<String> launchPermissionUserIds, Set<String> launchPermissionGroups, String sourceInstanceId,
            String sourceImageId, String sourceRegion, Set<String> launchPermissionOrganizationArns,
            Set<String> launchPermissionOrganizationalUnitArns, String deprecationTime,
            String deregistrationProtection) {
    }

    public record Snapshot(String snapshotId, String state, String ownerId, String description, int volumeSize,
            String startTime, Map<String, String> tags, Set<String> createVolumePermissionUserIds, boolean encrypted,
            String kmsKeyId) {
    }

    public record Parameter(String name, String value, String type, String dataType, long version,
            String lastModified) {
    }

    public record LaunchTemplate(String launchTemplateId, String launchTemplateName, long defaultVersion,
            long latestVersion, Map<String, String> tags, List<LaunchTemplateVersion> versions) {
    }

    public record LaunchTemplateVersion(long versionNumber, String description, String imageId, String instanceType) {
    }

    public record KeyPair(String keyPairId, String keyName, String fingerprint, String publicKey, String keyType,
            Map<String, String> tags) {
    }

    public record Rule(String protocol, Integer fromPort, Integer toPort, String cidr, String sourceGroupId) {
    }

    public record SecurityGroup(String groupId, String groupName, String description, String vpcId,
            boolean isDefault, List<Rule> ingress, Map<String, String> tags) {
    }
}
