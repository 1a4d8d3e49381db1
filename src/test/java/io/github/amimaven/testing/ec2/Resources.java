package io.github.amimaven.testing.ec2;

import io.github.amimaven.testing.sshd.LoopbackSshd;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mutable resources of one account and region. They are only touched while holding the owning
 * {@link AccountState}'s lock; tests see them through the immutable {@link Views} records.
 */
final class Resources {

    private Resources() {
    }

    enum InstanceState {
        PENDING(0, "pending"), RUNNING(16, "running"), SHUTTING_DOWN(32, "shutting-down"),
        TERMINATED(48, "terminated"), STOPPING(64, "stopping"), STOPPED(80, "stopped");

        final int code;
        final String label;

        InstanceState(int code, String label) {
            this.code = code;
            this.label = label;
        }
    }

    static final class BlockDevice {
        String deviceName;
        String snapshotId;
        String volumeId;
        Integer volumeSize;
        String volumeType;
        Integer iops;
        Integer throughput;
        boolean deleteOnTermination = true;
        boolean encrypted;
        String kmsKeyId;
        /** A volume kept after its instance terminated (DeleteOnTermination false) and then deleted. */
        boolean volumeDeleted;

        BlockDevice copy() {
            BlockDevice b = new BlockDevice();
            b.deviceName = deviceName;
            b.snapshotId = snapshotId;
            b.volumeId = volumeId;
            b.volumeSize = volumeSize;
            b.volumeType = volumeType;
            b.iops = iops;
            b.throughput = throughput;
            b.deleteOnTermination = deleteOnTermination;
            b.encrypted = encrypted;
            b.kmsKeyId = kmsKeyId;
            return b;
        }

        Views.BlockDevice view() {
            return new Views.BlockDevice(deviceName, snapshotId, volumeId, volumeSize, volumeType, deleteOnTermination,
                    iops, throughput, encrypted, kmsKeyId);
        }
    }

    static final class Image {
        String id;
        /** VM mode: the disk file or captured VM image this AMI stands for. */
        String disk;
        String name;
        String description;
        String state = "pending";
        String stateReasonCode;
        String stateReasonMessage;
        String ownerId;
        String ownerAlias;
        Instant creationDate;
        String architecture = "x86_64";
        /** {@code windows} for Windows images, null for Linux ones (EC2's {@code platform} attribute). */
        String platform;
        String virtualizationType = "hvm";
        String rootDeviceType = "ebs";
        String rootDeviceName = "/dev/xvda";
        String bootMode;
        boolean enaSupport = true;
        boolean isPublic;
        String sourceInstanceId;
        String sourceImageId;
        String sourceRegion;
        final List<BlockDevice> blockDevices = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final Set<String> launchUserIds = new LinkedHashSet<>();
        final Set<String> launchGroups = new LinkedHashSet<>();
        final Set<String> launchOrganizationArns = new LinkedHashSet<>();
        final Set<String> launchOrganizationalUnitArns = new LinkedHashSet<>();
        Instant deprecationTime;
        /** Deregistration is refused until then; {@link Instant#MAX} while protection is enabled. */
        Instant protectedUntil;
        boolean protectionCooldown;

        /** EC2's DeregistrationProtection value: disabled, enabled, enabled-with-cooldown or disabled-until …. */
        String deregistrationProtection() {
            if (protectedUntil == null || protectedUntil.isBefore(Instant.now())) {
                return "disabled";
            }
            if (protectedUntil.equals(Instant.MAX)) {
                return protectionCooldown ? "enabled-with-cooldown" : "enabled";
            }
            return "disabled-until " + Xml.time(protectedUntil);
        }

        List<String> snapshotIds() {
            return blockDevices.stream().map(b -> b.snapshotId).filter(s -> s != null).toList();
        }
    }

    static final class Snapshot {
        String id;
        String volumeId;
        String state = "pending";
        String ownerId;
        String description;
        int volumeSize = 8;
        Instant startTime;
        final Map<String, String> tags = new LinkedHashMap<>();
        final Set<String> volumePermissionUserIds = new LinkedHashSet<>();
        final Set<String> volumePermissionGroups = new LinkedHashSet<>();
        boolean encrypted;
        String kmsKeyId;
    }

    /** An SSM parameter (Parameter Store), per account and region. */
    static final class Parameter {
        String name;
        String value;
        String type;
        String dataType;
        long version;
        Instant lastModified;
    }

    static final class LaunchTemplate {
        String id;
        String name;
        long defaultVersion;
        final java.util.TreeMap<Long, LaunchTemplateVersion> versions = new java.util.TreeMap<>();
        Instant createTime;
        final Map<String, String> tags = new LinkedHashMap<>();
        /** ClientToken of CreateLaunchTemplateVersion → the version it created. */
        final Map<String, Long> clientTokens = new LinkedHashMap<>();

        long latestVersion() {
            return versions.lastKey();
        }
    }

    /** A launch template as an Auto Scaling group names it: a version number, {@code $Default} or {@code $Latest}. */
    record LaunchTemplateReference(String id, String name, String version) {
    }

    /**
     * An Auto Scaling group: its launch template, or its mixed instances policy's template and the overrides' own
     * templates.
     */
    record AutoScalingGroup(String name, LaunchTemplateReference launchTemplate, LaunchTemplateReference mixedInstances,
            List<LaunchTemplateReference> overrides) {
    }

    /** One version's data: the flat {@code LaunchTemplateData.*} parameters, e.g. {@code ImageId}. */
    record LaunchTemplateVersion(long number, String description, Map<String, String> data, Instant createTime) {
    }

    static final class Instance {
        String id;
        String reservationId;
        String region;
        String availabilityZone;
        String imageId;
        String instanceType;
        String keyName;
        final List<String> securityGroupIds = new ArrayList<>();
        String subnetId;
        String vpcId;
        String iamInstanceProfileArn;
        String iamInstanceProfileId;
        String userData;
        String httpTokens = "optional";
        String httpEndpoint = "enabled";
        String shutdownBehavior = "stop";
        /** The one-time spot request a spot instance was launched by; null on demand. */
        String spotInstanceRequestId;
        /** Its OS powers it off this long after it runs (user data ending in a power-off); null: never. */
        java.time.Duration guestShutdownAfter;
        String architecture;
        /** {@code windows} when launched from a Windows image. */
        String platform;
        String rootDeviceName;
        final List<BlockDevice> blockDevices = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        final Map<String, String> volumeTags = new LinkedHashMap<>();
        final Map<String, String> networkInterfaceTags = new LinkedHashMap<>();
        String privateIp;
        String publicIp;
        String privateDns;
        String publicDns;
        Instant launchTime;
        InstanceState state = InstanceState.PENDING;
        String stateReasonCode;
        String stateReasonMessage;
        String stateTransitionReason = "";
        Instant terminatedAt;
        String clientToken;
        int launchIndex;
        /** Bumped on every state change so that a delayed transition scheduled earlier can tell it is stale. */
        long generation;
        /** The sshd standing in for this instance's OS, while it runs (SSH mode only). */
        LoopbackSshd sshd;
        /** The key pair's public key at launch: like authorized_keys baked into the image, it outlives the key pair. */
        String authorizedKey;
        /** When the instance last reached running, for the console output. */
        Instant runningSince;
        /** Why starting the sshd failed, reported in the console output instead of failing the API call. */
        String sshError;
        /** The Administrator password EC2Launch set at first boot (Windows), once posted; its encrypted form. */
        String windowsPassword;
        String windowsPasswordData;
        /** VM mode: the disk the instance boots from, and its VM while it exists. */
        String vmDisk;
        String vmId;
    }

    static final class KeyPair {
        String id;
        String name;
        String fingerprint;
        String publicKey;
        String keyType = "rsa";
        Instant createTime;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    record Rule(String protocol, Integer fromPort, Integer toPort, String cidr, String groupId) {
        Views.Rule view() {
            return new Views.Rule(protocol, fromPort, toPort, cidr, groupId);
        }
    }

    static final class SecurityGroup {
        String id;
        String name;
        String description;
        String vpcId;
        String ownerId;
        boolean isDefault;
        final List<Rule> ingress = new ArrayList<>();
        final List<Rule> egress = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    static final class Vpc {
        String id;
        String cidr = "172.31.0.0/16";
        String dhcpOptionsId;
        boolean isDefault = true;
        final Map<String, String> tags = new LinkedHashMap<>();
    }

    static final class Subnet {
        String id;
        String vpcId;
        String cidr;
        String availabilityZone;
        String availabilityZoneId;
        boolean defaultForAz = true;
        boolean mapPublicIpOnLaunch = true;
        int availableIpAddressCount = 4091;
        final Map<String, String> tags = new LinkedHashMap<>();
    }
}
