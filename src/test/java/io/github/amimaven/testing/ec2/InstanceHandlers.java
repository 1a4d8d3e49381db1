package io.github.amimaven.testing.ec2;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instances and their lifecycle. Transitions (pending → running, stopping → stopped, shutting-down →
 * terminated) happen after the account's configured delays, so callers must poll or use waiters, as with EC2.
 */
final class InstanceHandlers {

    private static final Set<String> TAGGABLE_AT_LAUNCH =
            Set.of("instance", "volume", "network-interface", "spot-instances-request", "elastic-gpu");

    private InstanceHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("RunInstances", InstanceHandlers::runInstances);
        h.put("DescribeInstances", InstanceHandlers::describeInstances);
        h.put("DescribeInstanceStatus", InstanceHandlers::describeInstanceStatus);
        h.put("StopInstances", InstanceHandlers::stopInstances);
        h.put("StartInstances", InstanceHandlers::startInstances);
        h.put("TerminateInstances", InstanceHandlers::terminateInstances);
        h.put("GetConsoleOutput", InstanceHandlers::getConsoleOutput);
        h.put("DescribeInstanceAttribute", InstanceHandlers::describeInstanceAttribute);
        h.put("ModifyInstanceAttribute", InstanceHandlers::modifyInstanceAttribute);
    }

    // ---- RunInstances ----

    private static void runInstances(Call c, Xml out) {
        Params p = c.params;
        RegionState rs = c.region;
        String token = p.get("ClientToken");
        if (token != null && rs.clientTokens.containsKey("run:" + token)) {
            // a retried launch: EC2 answers with the first launch's reservation instead of launching again
            writeReservation(c, out, rs.clientTokens.get("run:" + token), true);
            return;
        }
        Resources.Image image = ImageHandlers.visibleImage(c, rs, p.required("ImageId"));
        if (!"available".equals(image.state)) {
            throw Ec2Error.of("InvalidAMIID.Unavailable", "The image '" + image.id + "' is " + image.state);
        }
        if (c.account.config().vmEnabled() && image.disk == null) {
            throw Ec2Error.of("InvalidAMIID.Unavailable", "The image '" + image.id
                    + "' has no disk to boot in VM mode: seed it with a \"disk\"");
        }
        int min = p.integer("MinCount", 1);
        int max = p.integer("MaxCount", min);
        if (min < 1 || max < min) {
            throw Ec2Error.invalidValue("MinCount must be at least 1 and at most MaxCount");
        }
        if (min > 20) {
            throw Ec2Error.of("InstanceLimitExceeded", "You have requested more instances (" + min
                    + ") than your current instance limit of 20 allows");
        }
        int count = Math.min(max, 20);
        String instanceType = p.get("InstanceType", "m1.small");
        Resources.KeyPair keyPair = p.get("KeyName") == null ? null : rs.keyPairByName(p.get("KeyName"));

        List<Params> interfaces = p.members("NetworkInterface");
        Params nic = interfaces.isEmpty() ? new Params(Map.of()) : interfaces.get(0);
        if (!interfaces.isEmpty() && (p.has("SubnetId") || !p.list("SecurityGroupId").isEmpty())) {
            throw Ec2Error.of("InvalidParameterCombination",
                    "Network interfaces and an instance-level subnet ID or security groups may not be specified on the same request");
        }
        String subnetId = p.get("SubnetId", nic.get("SubnetId"));
        Resources.Subnet subnet;
        if (subnetId != null) {
            subnet = rs.subnet(subnetId);
        } else {
            String zone = p.get("Placement.AvailabilityZone");
            subnet = rs.subnets.values().stream()
                    .filter(s -> s.defaultForAz && (zone == null || zone.equals(s.availabilityZone)))
                    .findFirst()
                    .orElseThrow(() -> Ec2Error.invalidValue("Invalid availability zone: [" + zone + "]"));
        }
        List<String> groupIds = new ArrayList<>();
        List<String> requestedIds = new ArrayList<>(p.list("SecurityGroupId"));
        requestedIds.addAll(nic.list("SecurityGroupId"));
        for (String id : requestedIds) {
            Resources.SecurityGroup g = rs.securityGroup(id);
            if (!g.vpcId.equals(subnet.vpcId)) {
                throw Ec2Error.invalidValue("Security group " + id + " and subnet " + subnet.id
                        + " belong to different networks.");
            }
            groupIds.add(g.id);
        }
        for (String name : p.list("SecurityGroup")) {
            groupIds.add(rs.securityGroupByName(name, subnet.vpcId).id);
        }
        if (groupIds.isEmpty()) {
            groupIds.add(rs.defaultSecurityGroup(subnet.vpcId).id);
        }
        Boolean associate = nic.bool("AssociatePublicIpAddress");
        boolean publicIp = associate != null ? associate : subnet.mapPublicIpOnLaunch;

        String profileArn = p.get("IamInstanceProfile.Arn");
        if (profileArn == null && p.get("IamInstanceProfile.Name") != null) {
            profileArn = "arn:aws:iam::" + c.accountId() + ":instance-profile/" + p.get("IamInstanceProfile.Name");
        }
        String userData = p.get("UserData");
        if (userData != null) {
            try {
                Base64.getMimeDecoder().decode(userData);
            } catch (IllegalArgumentException e) {
                throw Ec2Error.invalidValue("Invalid BASE64 encoding of user data.");
            }
        }
        String httpTokens = p.get("MetadataOptions.HttpTokens", "optional");
        if (!Set.of("optional", "required").contains(httpTokens)) {
            throw Ec2Error.invalidValue("Value (" + httpTokens + ") for parameter HttpTokens is invalid.");
        }
        String httpEndpoint = p.get("MetadataOptions.HttpEndpoint", "enabled");
        String shutdownBehavior = p.get("InstanceInitiatedShutdownBehavior", "stop");
        if (!Set.of("stop", "terminate").contains(shutdownBehavior)) {
            throw Ec2Error.invalidValue("Value (" + shutdownBehavior
                    + ") for parameter instanceInitiatedShutdownBehavior is invalid.");
        }
        boolean spot = spotMarket(p, shutdownBehavior);
        Ec2Error refusal = c.account.config().faults.launchRefusal(instanceType, spot, subnet.availabilityZone);
        if (refusal != null) {
            throw refusal;
        }
        List<Resources.BlockDevice> devices = blockDevices(rs, image, p.members("BlockDeviceMapping"));
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(p, TAGGABLE_AT_LAUNCH);

        String reservationId = RegionState.newId("r-");
        Instant now = Instant.now();
        for (int n = 0; n < count; n++) {
            Resources.Instance i = new Resources.Instance();
            i.id = RegionState.newId("i-");
            i.reservationId = reservationId;
            i.region = rs.region;
            i.availabilityZone = subnet.availabilityZone;
            i.imageId = image.id;
            i.instanceType = instanceType;
            i.keyName = keyPair == null ? null : keyPair.name;
            i.authorizedKey = keyPair == null ? null : keyPair.publicKey;
            i.securityGroupIds.addAll(groupIds);
            i.subnetId = subnet.id;
            i.vpcId = subnet.vpcId;
            i.iamInstanceProfileArn = profileArn;
            i.iamInstanceProfileId = profileArn == null ? null : "AIPA" + RegionState.newId("").toUpperCase();
            i.userData = userData;
            i.vmDisk = image.disk;
            i.httpTokens = httpTokens;
            i.httpEndpoint = httpEndpoint;
            i.shutdownBehavior = shutdownBehavior;
            i.spotInstanceRequestId = spot ? RegionState.newId("sir-") : null;
            i.guestShutdownAfter = c.account.config().guestShutdownAfter();
            i.architecture = image.architecture;
            i.platform = image.platform;
            i.rootDeviceName = image.rootDeviceName;
            for (Resources.BlockDevice d : devices) {
                Resources.BlockDevice copy = d.copy();
                copy.volumeId = RegionState.newId("vol-");
                i.blockDevices.add(copy);
            }
            i.tags.putAll(tags.getOrDefault("instance", Map.of()));
            i.volumeTags.putAll(tags.getOrDefault("volume", Map.of()));
            i.networkInterfaceTags.putAll(tags.getOrDefault("network-interface", Map.of()));
            String suffix = c.endpoint.nextAddressSuffix();
            i.privateIp = "127.10." + suffix;
            i.privateDns = "ip-" + i.privateIp.replace('.', '-') + "." + rs.region + ".compute.internal";
            if (publicIp) {
                i.publicIp = "127.20." + suffix;
                i.publicDns = "ec2-" + i.publicIp.replace('.', '-') + "." + rs.region + ".compute.amazonaws.com";
            }
            i.launchTime = now;
            i.clientToken = token;
            i.launchIndex = n;
            rs.instances.put(i.id, i);
            toRunningLater(c, i);
        }
        if (token != null) {
            rs.clientTokens.put("run:" + token, reservationId);
        }
        writeReservation(c, out, reservationId, true);
    }

    /**
     * Whether the request asks for a spot instance, checked as EC2 checks InstanceMarketOptions: market type spot, a
     * positive decimal MaxPrice, and only one-time requests that end on interruption and on a shutdown from inside
     * (a persistent request, which could stop, would outlive its instance).
     */
    private static boolean spotMarket(Params p, String shutdownBehavior) {
        String market = p.get("InstanceMarketOptions.MarketType");
        if (market == null) {
            if (p.has("InstanceMarketOptions.SpotOptions.MaxPrice")) {
                throw Ec2Error.missing("InstanceMarketOptions.MarketType");
            }
            return false;
        }
        if (market.equals("capacity-block")) {
            throw Ec2Error.of("Unsupported", "The test endpoint has no capacity blocks");
        }
        if (!market.equals("spot")) {
            throw Ec2Error.invalidValue("Value (" + market + ") for parameter MarketType is invalid.");
        }
        String maxPrice = p.get("InstanceMarketOptions.SpotOptions.MaxPrice");
        if (maxPrice != null && !maxPrice.matches("\\d+(\\.\\d+)?")) {
            throw Ec2Error.invalidValue("Invalid max price: " + maxPrice);
        }
        String type = p.get("InstanceMarketOptions.SpotOptions.SpotInstanceType", "one-time");
        String interruption = p.get("InstanceMarketOptions.SpotOptions.InstanceInterruptionBehavior", "terminate");
        if (!type.equals("one-time")) {
            throw Ec2Error.of("Unsupported", "The test endpoint launches one-time spot instances only, not " + type);
        }
        if (!interruption.equals("terminate")) {
            throw Ec2Error.of("InvalidParameterCombination", "One-time Spot Instances must use terminate as the"
                    + " instance interruption behavior, not " + interruption);
        }
        if (shutdownBehavior.equals("stop") && p.has("InstanceInitiatedShutdownBehavior")) {
            throw Ec2Error.of("InvalidParameterCombination",
                    "The instance initiated shutdown behavior of a one-time Spot Instance must be terminate");
        }
        return true;
    }

    /** The image's block devices with the request's overrides (size, type, NoDevice, extra volumes). */
    private static List<Resources.BlockDevice> blockDevices(RegionState rs, Resources.Image image, List<Params> mappings) {
        Map<String, Resources.BlockDevice> byName = new LinkedHashMap<>();
        image.blockDevices.forEach(b -> byName.put(b.deviceName, b.copy()));
        for (Params m : mappings) {
            String name = m.required("DeviceName");
            if (m.has("NoDevice")) {
                byName.remove(name);
                continue;
            }
            if (m.has("VirtualName")) {
                continue; // instance store: nothing to model
            }
            Resources.BlockDevice b = byName.computeIfAbsent(name, n -> {
                Resources.BlockDevice nb = new Resources.BlockDevice();
                nb.deviceName = n;
                nb.volumeType = "gp2";
                return nb;
            });
            if (m.get("Ebs.SnapshotId") != null) {
                b.snapshotId = rs.snapshot(m.get("Ebs.SnapshotId")).id;
            }
            Integer size = m.integer("Ebs.VolumeSize");
            if (size != null) {
                Integer minimum = b.snapshotId == null ? null
                        : rs.snapshots.containsKey(b.snapshotId) ? rs.snapshots.get(b.snapshotId).volumeSize : b.volumeSize;
                if (minimum != null && size < minimum) {
                    throw Ec2Error.of("InvalidBlockDeviceMapping", "Volume of size " + size
                            + "GB is smaller than snapshot '" + b.snapshotId + "', expect size >= " + minimum + "GB");
                }
                b.volumeSize = size;
            }
            if (b.volumeSize == null) {
                throw Ec2Error.of("InvalidBlockDeviceMapping", "The request must contain a volume size or snapshot for " + name);
            }
            b.volumeType = m.get("Ebs.VolumeType", b.volumeType == null ? "gp2" : b.volumeType);
            b.deleteOnTermination = m.bool("Ebs.DeleteOnTermination", b.deleteOnTermination);
            ImageHandlers.performance(b, m);
            Boolean encrypted = m.bool("Ebs.Encrypted");
            if (Boolean.FALSE.equals(encrypted) && b.encrypted) {
                throw Ec2Error.of("InvalidBlockDeviceMapping", "Volume " + name + " of an encrypted snapshot cannot be"
                        + " launched unencrypted");
            }
            if (m.get("Ebs.KmsKeyId") != null && !Boolean.TRUE.equals(encrypted)) {
                throw Ec2Error.of("InvalidParameterDependency", "The request must contain the parameter Encrypted"
                        + " when KmsKeyId is set");
            }
            if (Boolean.TRUE.equals(encrypted)) {
                b.encrypted = true;
                b.kmsKeyId = m.get("Ebs.KmsKeyId", b.kmsKeyId == null ? "alias/aws/ebs" : b.kmsKeyId);
            }
        }
        return new ArrayList<>(byName.values());
    }

    // ---- lifecycle ----

    /** pending → running after the delay; in SSH mode only once the instance's sshd listens. */
    private static void toRunningLater(Call c, Resources.Instance i) {
        AccountState account = c.account;
        Ec2TestEndpoint endpoint = c.endpoint;
        long generation = ++i.generation;
        endpoint.later(account, account.config().delay(AccountState.Transition.INSTANCE_PENDING), () -> {
            if (i.generation != generation || i.state != Resources.InstanceState.PENDING) {
                return;
            }
            if (i.vmDisk != null && account.config().vmEnabled()) {
                String userData = i.userData == null ? null
                        : new String(Base64.getMimeDecoder().decode(i.userData), StandardCharsets.UTF_8);
                endpoint.startVm(account, i, userData, account.config().sshPort(), vm -> {
                    i.vmId = vm;
                    if (i.generation == generation && i.state == Resources.InstanceState.PENDING) {
                        becomeRunning(c, i); // like EC2: running means booting, SSH comes later
                    } else if (vm != null) {
                        endpoint.inBackground(() -> endpoint.stopVm(account, i));
                    }
                });
                return;
            }
            if (!account.config().sshEnabled()) {
                becomeRunning(c, i);
                return;
            }
            endpoint.startSshd(account, i, i.authorizedKey, account.config().sshPort(), sshd -> {
                if (i.generation == generation && i.state == Resources.InstanceState.PENDING) {
                    i.sshd = sshd;
                    becomeRunning(c, i);
                } else if (sshd != null) {
                    endpoint.inBackground(sshd::close);
                }
            });
        });
    }

    /** → running; an instance whose OS powers itself off does so after its delay, unless its state moved on. */
    private static void becomeRunning(Call c, Resources.Instance i) {
        i.state = Resources.InstanceState.RUNNING;
        i.stateReasonCode = null;
        i.stateReasonMessage = null;
        i.stateTransitionReason = "";
        i.runningSince = Instant.now();
        long generation = ++i.generation;
        if (i.guestShutdownAfter != null) {
            c.endpoint.later(c.account, i.guestShutdownAfter, () -> {
                if (i.generation == generation) {
                    guestShutdown(c.endpoint, c.account, c.region, i);
                }
            });
        }
    }

    private static List<Resources.Instance> requestedInstances(Call c) {
        List<String> ids = c.params.list("InstanceId");
        if (ids.isEmpty()) {
            throw Ec2Error.missing("InstanceId");
        }
        // EC2 rejects the whole call if any id is unknown
        return ids.stream().map(c.region::instance).toList();
    }

    private static void stopInstances(Call c, Xml out) {
        List<Resources.Instance> instances = requestedInstances(c);
        for (Resources.Instance i : instances) {
            if (i.state == Resources.InstanceState.SHUTTING_DOWN || i.state == Resources.InstanceState.TERMINATED) {
                throw Ec2Error.of("IncorrectInstanceState",
                        "This instance '" + i.id + "' is not in a state from which it can be stopped.");
            }
            if (i.spotInstanceRequestId != null) {
                throw Ec2Error.of("UnsupportedOperation", "You can't stop the Spot Instance '" + i.id
                        + "' because it is associated with a one-time Spot Instance request.");
            }
        }
        out.start("instancesSet");
        for (Resources.Instance i : instances) {
            Resources.InstanceState previous = i.state;
            if (previous == Resources.InstanceState.RUNNING || previous == Resources.InstanceState.PENDING) {
                stop(c.endpoint, c.account, i, "User initiated", "Client.UserInitiatedShutdown", "User initiated shutdown");
            }
            writeStateChange(out, i, previous);
        }
        out.end();
    }

    private static void startInstances(Call c, Xml out) {
        List<Resources.Instance> instances = requestedInstances(c);
        for (Resources.Instance i : instances) {
            if (i.vmDisk != null && i.state == Resources.InstanceState.STOPPED && c.account.config().vmEnabled()) {
                throw Ec2Error.of("UnsupportedOperation", "The test endpoint cannot start a stopped VM-backed instance ("
                        + i.id + ")");
            }
            if (i.state != Resources.InstanceState.STOPPED && i.state != Resources.InstanceState.RUNNING
                    && i.state != Resources.InstanceState.PENDING) {
                throw Ec2Error.of("IncorrectInstanceState",
                        "The instance '" + i.id + "' is not in a state from which it can be started.");
            }
        }
        out.start("instancesSet");
        for (Resources.Instance i : instances) {
            Resources.InstanceState previous = i.state;
            if (previous == Resources.InstanceState.STOPPED) {
                i.state = Resources.InstanceState.PENDING;
                i.stateTransitionReason = "";
                toRunningLater(c, i);
            }
            writeStateChange(out, i, previous);
        }
        out.end();
    }

    private static void terminateInstances(Call c, Xml out) {
        List<Resources.Instance> instances = requestedInstances(c);
        out.start("instancesSet");
        for (Resources.Instance i : instances) {
            Resources.InstanceState previous = i.state;
            if (previous != Resources.InstanceState.TERMINATED && previous != Resources.InstanceState.SHUTTING_DOWN) {
                terminate(c.endpoint, c.account, c.region, i, "User initiated", "Client.UserInitiatedShutdown",
                        "User initiated shutdown");
            }
            writeStateChange(out, i, previous);
        }
        out.end();
    }

    /** running → stopping → stopped after the delay; the OS goes away at once, so open SSH sessions drop. */
    private static void stop(Ec2TestEndpoint endpoint, AccountState account, Resources.Instance i, String reason,
            String code, String message) {
        i.state = Resources.InstanceState.STOPPING;
        i.stateTransitionReason = reason + " (" + Xml.time(Instant.now()) + ")";
        long generation = ++i.generation;
        endpoint.stopSshd(account, i, false, false);
        Runnable stopped = () -> {
            if (i.generation == generation && i.state == Resources.InstanceState.STOPPING) {
                i.state = Resources.InstanceState.STOPPED;
                i.stateReasonCode = code;
                i.stateReasonMessage = code + ": " + message;
                i.generation++;
            }
        };
        if (i.vmId != null) {
            // stopped when the guest has really powered off, so that its disk is consistent
            endpoint.powerOffVm(account, i, java.time.Duration.ofMinutes(5), stopped);
        } else {
            endpoint.later(account, account.config().delay(AccountState.Transition.INSTANCE_STOPPING), stopped);
        }
    }

    /** → shutting-down → terminated after the delay; terminated instances stay visible for a while, as in EC2. */
    private static void terminate(Ec2TestEndpoint endpoint, AccountState account, RegionState rs, Resources.Instance i,
            String reason, String code, String message) {
        i.state = Resources.InstanceState.SHUTTING_DOWN;
        i.stateTransitionReason = reason + " (" + Xml.time(Instant.now()) + ")";
        long generation = ++i.generation;
        endpoint.stopSshd(account, i, true, false);
        if (i.vmId != null) {
            endpoint.inBackground(() -> endpoint.stopVm(account, i));
        }
        endpoint.later(account, account.config().delay(AccountState.Transition.INSTANCE_SHUTTING_DOWN), () -> {
            if (i.generation != generation) {
                return;
            }
            i.state = Resources.InstanceState.TERMINATED;
            i.stateReasonCode = code;
            i.stateReasonMessage = code + ": " + message;
            i.terminatedAt = Instant.now();
            i.generation++;
            endpoint.later(account, account.config().delay(AccountState.Transition.TERMINATED_RETENTION),
                    () -> rs.instances.remove(i.id, i));
        });
    }

    /**
     * The guest OS shut the instance down by itself (Windows sysprep, {@code shutdown -h}): as in EC2, the instance
     * stops or terminates according to its {@code instanceInitiatedShutdownBehavior}. No-op unless it runs.
     */
    static void guestShutdown(Ec2TestEndpoint endpoint, AccountState account, RegionState rs, Resources.Instance i) {
        if (i.state != Resources.InstanceState.RUNNING) {
            return;
        }
        if ("terminate".equals(i.shutdownBehavior)) {
            terminate(endpoint, account, rs, i, "Instance initiated shutdown", "Client.InstanceInitiatedShutdown",
                    "Instance initiated shutdown");
        } else {
            stop(endpoint, account, i, "Instance initiated shutdown", "Client.InstanceInitiatedShutdown",
                    "Instance initiated shutdown");
        }
    }

    private static void writeStateChange(Xml out, Resources.Instance i, Resources.InstanceState previous) {
        out.start("item").el("instanceId", i.id).state("currentState", i.state).state("previousState", previous).end();
    }

    // ---- describe ----

    private static void describeInstances(Call c, Xml out) {
        List<String> ids = c.params.list("InstanceId");
        ids.forEach(c.region::instance);
        Filters filters = Filters.of(c.params);
        Map<String, List<Resources.Instance>> reservations = new LinkedHashMap<>();
        for (Resources.Instance i : c.region.instances.values()) {
            if (!ids.isEmpty() && !ids.contains(i.id)) {
                continue;
            }
            if (!filters.matches(i.tags, f -> instanceFilter(c, i, f))) {
                continue;
            }
            reservations.computeIfAbsent(i.reservationId, r -> new ArrayList<>()).add(i);
        }
        out.start("reservationSet");
        reservations.forEach((r, instances) -> {
            out.start("item");
            writeReservationBody(c, out, r, instances);
            out.end();
        });
        out.end();
    }

    private static List<String> instanceFilter(Call c, Resources.Instance i, String filter) {
        return switch (filter) {
            case "instance-id" -> List.of(i.id);
            case "instance-state-name" -> List.of(i.state.label);
            case "instance-state-code" -> List.of(String.valueOf(i.state.code));
            case "image-id" -> List.of(i.imageId);
            case "instance-type" -> List.of(i.instanceType);
            case "key-name" -> Filters.one(i.keyName);
            case "vpc-id" -> List.of(i.vpcId);
            case "subnet-id" -> List.of(i.subnetId);
            case "availability-zone" -> List.of(i.availabilityZone);
            case "reservation-id" -> List.of(i.reservationId);
            case "instance.group-id", "group-id" -> i.securityGroupIds;
            case "private-ip-address" -> List.of(i.privateIp);
            case "ip-address" -> Filters.one(i.publicIp);
            case "private-dns-name" -> List.of(i.privateDns);
            case "dns-name" -> Filters.one(i.publicDns);
            case "architecture" -> List.of(i.architecture);
            case "owner-id" -> List.of(c.accountId());
            case "client-token" -> Filters.one(i.clientToken);
            case "iam-instance-profile.arn" -> Filters.one(i.iamInstanceProfileArn);
            case "metadata-options.http-tokens" -> List.of(i.httpTokens);
            default -> null;
        };
    }

    private static void writeReservation(Call c, Xml out, String reservationId, boolean asRoot) {
        List<Resources.Instance> instances = c.region.instances.values().stream()
                .filter(i -> reservationId.equals(i.reservationId)).toList();
        writeReservationBody(c, out, reservationId, instances);
    }

    private static void writeReservationBody(Call c, Xml out, String reservationId, List<Resources.Instance> instances) {
        out.el("reservationId", reservationId).el("ownerId", c.accountId()).start("groupSet").end();
        out.start("instancesSet");
        instances.forEach(i -> writeInstance(c, out, i));
        out.end();
    }

    private static void writeInstance(Call c, Xml out, Resources.Instance i) {
        boolean hasPublic = i.publicIp != null && i.state != Resources.InstanceState.STOPPED
                && i.state != Resources.InstanceState.TERMINATED;
        String publicIp = hasPublic ? i.publicIp : null;
        String publicDns = hasPublic ? i.publicDns : "";
        boolean terminated = i.state == Resources.InstanceState.TERMINATED;
        out.start("item").el("instanceId", i.id).el("imageId", i.imageId).state("instanceState", i.state)
                .el("privateDnsName", terminated ? "" : i.privateDns).el("dnsName", publicDns)
                .el("reason", i.stateTransitionReason).el("keyName", i.keyName).el("amiLaunchIndex", i.launchIndex)
                .start("productCodes").end().el("instanceType", i.instanceType).el("launchTime", i.launchTime)
                .el("instanceLifecycle", i.spotInstanceRequestId == null ? null : "spot")
                .el("spotInstanceRequestId", i.spotInstanceRequestId)
                .start("placement").el("availabilityZone", i.availabilityZone).el("groupName", "")
                .el("tenancy", "default").end()
                .start("monitoring").el("state", "disabled").end();
        if (!terminated) {
            out.el("subnetId", i.subnetId).el("vpcId", i.vpcId).el("privateIpAddress", i.privateIp);
        }
        out.el("ipAddress", publicIp).el("sourceDestCheck", true);
        out.start("groupSet");
        for (String g : i.securityGroupIds) {
            Resources.SecurityGroup sg = c.region.securityGroups.get(g);
            out.start("item").el("groupId", g).el("groupName", sg == null ? null : sg.name).end();
        }
        out.end();
        if (i.stateReasonCode != null) {
            out.start("stateReason").el("code", i.stateReasonCode).el("message", i.stateReasonMessage).end();
        }
        out.el("architecture", i.architecture).el("platform", i.platform).el("rootDeviceType", "ebs")
                .el("rootDeviceName", i.rootDeviceName);
        out.start("blockDeviceMapping");
        if (!terminated) {
            for (Resources.BlockDevice b : i.blockDevices) {
                out.start("item").el("deviceName", b.deviceName).start("ebs").el("volumeId", b.volumeId)
                        .el("status", "attached").el("attachTime", i.launchTime)
                        .el("deleteOnTermination", b.deleteOnTermination).end().end();
            }
        }
        out.end();
        out.el("virtualizationType", "hvm").el("clientToken", i.clientToken).tagSet(i.tags).el("hypervisor", "xen");
        out.start("networkInterfaceSet");
        if (!terminated) {
            String eni = "eni-" + i.id.substring(2);
            out.start("item").el("networkInterfaceId", eni).el("subnetId", i.subnetId).el("vpcId", i.vpcId)
                    .el("description", "").el("ownerId", c.accountId()).el("status", "in-use")
                    .el("macAddress", "02:00:00:00:00:00").el("privateIpAddress", i.privateIp)
                    .el("privateDnsName", i.privateDns).el("sourceDestCheck", true).start("groupSet");
            for (String g : i.securityGroupIds) {
                Resources.SecurityGroup sg = c.region.securityGroups.get(g);
                out.start("item").el("groupId", g).el("groupName", sg == null ? null : sg.name).end();
            }
            out.end().start("attachment").el("attachmentId", "eni-attach-" + i.id.substring(2))
                    .el("deviceIndex", 0).el("status", "attached").el("attachTime", i.launchTime)
                    .el("deleteOnTermination", true).end();
            if (publicIp != null) {
                out.start("association").el("publicIp", publicIp).el("publicDnsName", publicDns)
                        .el("ipOwnerId", "amazon").end();
            }
            out.start("privateIpAddressesSet").start("item").el("privateIpAddress", i.privateIp)
                    .el("privateDnsName", i.privateDns).el("primary", true);
            if (publicIp != null) {
                out.start("association").el("publicIp", publicIp).el("publicDnsName", publicDns)
                        .el("ipOwnerId", "amazon").end();
            }
            out.end().end().el("interfaceType", "interface").end();
        }
        out.end();
        if (i.iamInstanceProfileArn != null) {
            out.start("iamInstanceProfile").el("arn", i.iamInstanceProfileArn).el("id", i.iamInstanceProfileId).end();
        }
        out.el("ebsOptimized", false).el("enaSupport", true)
                .start("metadataOptions").el("state", "applied").el("httpTokens", i.httpTokens)
                .el("httpPutResponseHopLimit", 1).el("httpEndpoint", i.httpEndpoint).end()
                .end();
    }

    private static void describeInstanceStatus(Call c, Xml out) {
        List<String> ids = c.params.list("InstanceId");
        ids.forEach(c.region::instance);
        boolean all = c.params.bool("IncludeAllInstances", false);
        Filters filters = Filters.of(c.params);
        out.start("instanceStatusSet");
        for (Resources.Instance i : c.region.instances.values()) {
            if (!ids.isEmpty() && !ids.contains(i.id)) {
                continue;
            }
            if (!all && i.state != Resources.InstanceState.RUNNING) {
                continue;
            }
            String status = i.state == Resources.InstanceState.RUNNING ? "ok" : "not-applicable";
            if (!filters.matches(Map.of(), f -> switch (f) {
                case "instance-state-name" -> List.of(i.state.label);
                case "instance-state-code" -> List.of(String.valueOf(i.state.code));
                case "availability-zone" -> List.of(i.availabilityZone);
                case "instance-status.status", "system-status.status" -> List.of(status);
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("instanceId", i.id).el("availabilityZone", i.availabilityZone)
                    .state("instanceState", i.state)
                    .start("systemStatus").el("status", status).start("details").start("item")
                    .el("name", "reachability").el("status", "passed").end().end().end()
                    .start("instanceStatus").el("status", status).start("details").start("item")
                    .el("name", "reachability").el("status", "passed").end().end().end()
                    .start("attachedEbsStatus").el("status", status).end()
                    .end();
        }
        out.end();
    }

    private static void getConsoleOutput(Call c, Xml out) {
        Resources.Instance i = c.region.instance(c.params.required("InstanceId"));
        out.el("instanceId", i.id).el("timestamp", Instant.now());
        if (i.runningSince == null) {
            return; // nothing booted yet: EC2 answers without output
        }
        StringBuilder console = new StringBuilder()
                .append("[    0.000000] Linux version 6.1.0-test (ec2-test-endpoint)\n")
                .append("[    1.000000] cloud-init: instance ").append(i.id).append(" image ").append(i.imageId).append('\n');
        if (i.sshd != null) {
            console.append("[    2.000000] sshd listening on ").append(String.join(", ", i.sshd.addresses()))
                    .append(" port ").append(i.sshd.port()).append('\n');
            console.append(HostKeyConsole.blocks(i.sshd, c.account.config().consoleHostKeys()));
        } else if (i.sshError != null) {
            console.append("[    2.000000] sshd failed: ").append(i.sshError).append('\n');
        }
        console.append("cloud-init finished\n");
        out.el("output", Base64.getEncoder().encodeToString(console.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static void describeInstanceAttribute(Call c, Xml out) {
        Resources.Instance i = c.region.instance(c.params.required("InstanceId"));
        String attribute = c.params.required("Attribute");
        out.el("instanceId", i.id);
        switch (attribute) {
            case "instanceInitiatedShutdownBehavior" -> out.start(attribute).el("value", i.shutdownBehavior).end();
            case "instanceType" -> out.start(attribute).el("value", i.instanceType).end();
            case "userData" -> out.start(attribute).el("value", i.userData).end();
            case "disableApiTermination", "disableApiStop", "ebsOptimized" -> out.start(attribute).el("value", false).end();
            case "sourceDestCheck", "enaSupport" -> out.start(attribute).el("value", true).end();
            case "rootDeviceName" -> out.start(attribute).el("value", i.rootDeviceName).end();
            case "groupSet" -> {
                out.start("groupSet");
                i.securityGroupIds.forEach(g -> out.start("item").el("groupId", g).end());
                out.end();
            }
            case "blockDeviceMapping" -> {
                out.start("blockDeviceMapping");
                for (Resources.BlockDevice b : i.blockDevices) {
                    out.start("item").el("deviceName", b.deviceName).start("ebs").el("volumeId", b.volumeId)
                            .el("status", "attached").el("deleteOnTermination", b.deleteOnTermination).end().end();
                }
                out.end();
            }
            case "kernel", "ramdisk", "sriovNetSupport", "productCodes" -> {
                // not modelled: answered empty, as for an instance without them
            }
            default -> throw Ec2Error.invalidValue("Value (" + attribute + ") for parameter attribute is invalid.");
        }
    }

    private static void modifyInstanceAttribute(Call c, Xml out) {
        Resources.Instance i = c.region.instance(c.params.required("InstanceId"));
        Params p = c.params;
        String attribute = p.get("Attribute");
        String behavior = p.get("InstanceInitiatedShutdownBehavior.Value",
                "instanceInitiatedShutdownBehavior".equals(attribute) ? p.get("Value") : null);
        if (behavior != null) {
            if (!Set.of("stop", "terminate").contains(behavior)) {
                throw Ec2Error.invalidValue("Value (" + behavior + ") for parameter instanceInitiatedShutdownBehavior is invalid.");
            }
            i.shutdownBehavior = behavior;
        }
        String type = p.get("InstanceType.Value", "instanceType".equals(attribute) ? p.get("Value") : null);
        String userData = p.get("UserData.Value", "userData".equals(attribute) ? p.get("Value") : null);
        if ((type != null || userData != null) && i.state != Resources.InstanceState.STOPPED) {
            throw Ec2Error.of("IncorrectInstanceState", "The instance '" + i.id + "' is not in the 'stopped' state.");
        }
        if (type != null) {
            i.instanceType = type;
        }
        if (userData != null) {
            i.userData = userData;
        }
        List<String> groups = p.list("GroupId");
        if (!groups.isEmpty()) {
            groups.forEach(c.region::securityGroup);
            i.securityGroupIds.clear();
            i.securityGroupIds.addAll(groups);
        }
        // EnaSupport, SriovNetSupport, SourceDestCheck and the like are accepted and not modelled
        out.el("return", true);
    }
}
