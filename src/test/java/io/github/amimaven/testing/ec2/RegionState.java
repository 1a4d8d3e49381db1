package io.github.amimaven.testing.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One account's resources in one region. Like EC2, every region starts with a default VPC, a default subnet
 * per availability zone and the VPC's default security group, so that RunInstances without network
 * parameters works.
 */
final class RegionState {

    final String region;
    final String accountId;
    final Map<String, Resources.Image> images = new LinkedHashMap<>();
    final Map<String, Resources.Snapshot> snapshots = new LinkedHashMap<>();
    final Map<String, Resources.Instance> instances = new LinkedHashMap<>();
    final Map<String, Resources.KeyPair> keyPairs = new LinkedHashMap<>();
    final Map<String, Resources.SecurityGroup> securityGroups = new LinkedHashMap<>();
    final Map<String, Resources.Vpc> vpcs = new LinkedHashMap<>();
    final Map<String, Resources.Subnet> subnets = new LinkedHashMap<>();
    final Map<String, Resources.Parameter> parameters = new LinkedHashMap<>();
    final Map<String, Resources.LaunchTemplate> launchTemplates = new LinkedHashMap<>();
    final Map<String, Resources.AutoScalingGroup> autoScalingGroups = new LinkedHashMap<>();
    /** ClientToken → the reservation or image it created, for idempotent retries. */
    final Map<String, String> clientTokens = new LinkedHashMap<>();
    final Resources.Vpc defaultVpc;
    final Resources.Subnet defaultSubnet;

    RegionState(String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
        defaultVpc = new Resources.Vpc();
        defaultVpc.id = newId("vpc-");
        defaultVpc.dhcpOptionsId = newId("dopt-");
        vpcs.put(defaultVpc.id, defaultVpc);
        String[] zones = {"a", "b", "c"};
        Resources.Subnet first = null;
        for (int i = 0; i < zones.length; i++) {
            Resources.Subnet s = new Resources.Subnet();
            s.id = newId("subnet-");
            s.vpcId = defaultVpc.id;
            s.cidr = "172.31." + (i * 16) + ".0/20";
            s.availabilityZone = region + zones[i];
            s.availabilityZoneId = shortRegion(region) + "-az" + (i + 1);
            subnets.put(s.id, s);
            if (first == null) {
                first = s;
            }
        }
        defaultSubnet = first;
        Resources.SecurityGroup sg = new Resources.SecurityGroup();
        sg.id = newId("sg-");
        sg.name = "default";
        sg.description = "default VPC security group";
        sg.vpcId = defaultVpc.id;
        sg.ownerId = accountId;
        sg.isDefault = true;
        sg.ingress.add(new Resources.Rule("-1", null, null, null, sg.id));
        sg.egress.add(new Resources.Rule("-1", null, null, "0.0.0.0/0", null));
        securityGroups.put(sg.id, sg);
    }

    /** EC2's long resource ids: a prefix and 17 lowercase hex digits. */
    static String newId(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 17; i++) {
            b.append(Character.forDigit(r.nextInt(16), 16));
        }
        return b.toString();
    }

    private static String shortRegion(String region) {
        String[] parts = region.split("-");
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(Character.isDigit(p.charAt(p.length() - 1)) ? p.replaceAll("[^0-9]", "") : p.substring(0, 1));
        }
        return b.toString();
    }

    Resources.SecurityGroup defaultSecurityGroup(String vpcId) {
        for (Resources.SecurityGroup g : securityGroups.values()) {
            if (g.isDefault && g.vpcId.equals(vpcId)) {
                return g;
            }
        }
        throw Ec2Error.of("InvalidGroup.NotFound", "The default security group of '" + vpcId + "' does not exist");
    }

    Resources.Instance instance(String id) {
        if (!id.matches("i-[0-9a-f]{8,17}")) {
            throw Ec2Error.of("InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\"");
        }
        Resources.Instance i = instances.get(id);
        if (i == null) {
            throw Ec2Error.of("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        }
        return i;
    }

    Resources.Image image(String id) {
        if (!id.matches("ami-[0-9a-f]{8,17}")) {
            throw Ec2Error.of("InvalidAMIID.Malformed", "Invalid id: \"" + id + "\" (expecting \"ami-...\")");
        }
        Resources.Image i = images.get(id);
        if (i == null) {
            throw Ec2Error.of("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
        }
        return i;
    }

    Resources.Snapshot snapshot(String id) {
        if (!id.matches("snap-[0-9a-f]{8,17}")) {
            throw Ec2Error.of("InvalidSnapshotID.Malformed", "Invalid id: \"" + id + "\" (expecting \"snap-...\")");
        }
        Resources.Snapshot s = snapshots.get(id);
        if (s == null) {
            throw Ec2Error.of("InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist.");
        }
        return s;
    }

    Resources.SecurityGroup securityGroup(String id) {
        if (!id.matches("sg-[0-9a-f]{8,17}")) {
            throw Ec2Error.of("InvalidGroupId.Malformed", "Invalid id: \"" + id + "\" (expecting \"sg-...\")");
        }
        Resources.SecurityGroup g = securityGroups.get(id);
        if (g == null) {
            throw Ec2Error.of("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
        }
        return g;
    }

    /** Group names are unique per VPC; a bare name means the default VPC, as in EC2. */
    Resources.SecurityGroup securityGroupByName(String name, String vpcId) {
        String vpc = vpcId == null ? defaultVpc.id : vpcId;
        for (Resources.SecurityGroup g : securityGroups.values()) {
            if (g.name.equals(name) && g.vpcId.equals(vpc)) {
                return g;
            }
        }
        throw Ec2Error.of("InvalidGroup.NotFound",
                "The security group '" + name + "' does not exist in VPC '" + vpc + "'");
    }

    Resources.KeyPair keyPairByName(String name) {
        Resources.KeyPair k = keyPairs.get(name);
        if (k == null) {
            throw Ec2Error.of("InvalidKeyPair.NotFound", "The key pair '" + name + "' does not exist");
        }
        return k;
    }

    Resources.Subnet subnet(String id) {
        Resources.Subnet s = subnets.get(id);
        if (s == null) {
            throw Ec2Error.of("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
        }
        return s;
    }

    /** The tags of any taggable resource, for CreateTags/DeleteTags/DescribeTags. */
    Map<String, String> tagsOf(String resourceId) {
        if (resourceId.startsWith("i-")) {
            return instance(resourceId).tags;
        } else if (resourceId.startsWith("ami-")) {
            return image(resourceId).tags;
        } else if (resourceId.startsWith("snap-")) {
            return snapshot(resourceId).tags;
        } else if (resourceId.startsWith("sg-")) {
            return securityGroup(resourceId).tags;
        } else if (resourceId.startsWith("key-")) {
            for (Resources.KeyPair k : keyPairs.values()) {
                if (k.id.equals(resourceId)) {
                    return k.tags;
                }
            }
            throw Ec2Error.of("InvalidKeyPair.NotFound", "The key pair '" + resourceId + "' does not exist");
        } else if (resourceId.startsWith("vpc-") && vpcs.containsKey(resourceId)) {
            return vpcs.get(resourceId).tags;
        } else if (resourceId.startsWith("subnet-") && subnets.containsKey(resourceId)) {
            return subnets.get(resourceId).tags;
        } else if (resourceId.startsWith("vol-")) {
            for (Resources.Instance i : instances.values()) {
                for (Resources.BlockDevice b : i.blockDevices) {
                    if (resourceId.equals(b.volumeId)) {
                        return i.volumeTags;
                    }
                }
            }
            throw Ec2Error.of("InvalidVolume.NotFound", "The volume '" + resourceId + "' does not exist.");
        }
        throw Ec2Error.of("InvalidID", "The ID '" + resourceId + "' is not valid");
    }

    /** Every tag of the region as (resourceId, resourceType, tags), for DescribeTags. */
    List<Object[]> allTagged() {
        List<Object[]> all = new ArrayList<>();
        instances.values().forEach(i -> all.add(new Object[] {i.id, "instance", i.tags}));
        images.values().forEach(i -> all.add(new Object[] {i.id, "image", i.tags}));
        snapshots.values().forEach(s -> all.add(new Object[] {s.id, "snapshot", s.tags}));
        securityGroups.values().forEach(g -> all.add(new Object[] {g.id, "security-group", g.tags}));
        keyPairs.values().forEach(k -> all.add(new Object[] {k.id, "key-pair", k.tags}));
        vpcs.values().forEach(v -> all.add(new Object[] {v.id, "vpc", v.tags}));
        subnets.values().forEach(s -> all.add(new Object[] {s.id, "subnet", s.tags}));
        return all;
    }

    // ---- views ----

    Views.Instance view(Resources.Instance i) {
        return new Views.Instance(i.id, i.state.label, i.imageId, i.instanceType, i.keyName,
                List.copyOf(i.securityGroupIds), i.subnetId, i.vpcId, i.iamInstanceProfileArn, i.userData,
                i.httpTokens, i.httpEndpoint, i.shutdownBehavior, i.privateIp, i.publicIp, i.privateDns,
                i.publicDns, str(i.launchTime), Map.copyOf(i.tags), Map.copyOf(i.volumeTags),
                i.blockDevices.stream().map(Resources.BlockDevice::view).toList(),
                i.sshd != null && i.sshd.isAlive(), Map.copyOf(i.networkInterfaceTags));
    }

    Views.Image view(Resources.Image i) {
        String reason = i.stateReasonCode == null ? null : i.stateReasonCode + ": " + i.stateReasonMessage;
        return new Views.Image(i.id, i.name, i.state, reason, i.ownerId, str(i.creationDate), i.description,
                i.architecture, i.isPublic, Map.copyOf(i.tags),
                i.blockDevices.stream().map(Resources.BlockDevice::view).toList(), i.snapshotIds(),
                java.util.Set.copyOf(i.launchUserIds), java.util.Set.copyOf(i.launchGroups), i.sourceInstanceId,
                i.sourceImageId, i.sourceRegion, java.util.Set.copyOf(i.launchOrganizationArns),
                java.util.Set.copyOf(i.launchOrganizationalUnitArns), str(i.deprecationTime), i.deregistrationProtection());
    }

    Views.Snapshot view(Resources.Snapshot s) {
        return new Views.Snapshot(s.id, s.state, s.ownerId, s.description, s.volumeSize, str(s.startTime),
                Map.copyOf(s.tags), java.util.Set.copyOf(s.volumePermissionUserIds), s.encrypted, s.kmsKeyId);
    }

    Views.Parameter view(Resources.Parameter p) {
        return new Views.Parameter(p.name, p.value, p.type, p.dataType, p.version, str(p.lastModified));
    }

    Views.LaunchTemplate view(Resources.LaunchTemplate t) {
        return new Views.LaunchTemplate(t.id, t.name, t.defaultVersion, t.latestVersion(), Map.copyOf(t.tags),
                t.versions.values().stream().map(v -> new Views.LaunchTemplateVersion(v.number(), v.description(),
                        v.data().get("ImageId"), v.data().get("InstanceType"))).toList());
    }

    Views.KeyPair view(Resources.KeyPair k) {
        return new Views.KeyPair(k.id, k.name, k.fingerprint, k.publicKey, k.keyType, Map.copyOf(k.tags));
    }

    Views.SecurityGroup view(Resources.SecurityGroup g) {
        return new Views.SecurityGroup(g.id, g.name, g.description, g.vpcId, g.isDefault,
                g.ingress.stream().map(Resources.Rule::view).toList(), Map.copyOf(g.tags));
    }

    private static String str(Instant t) {
        return t == null ? null : Xml.time(t);
    }
}
