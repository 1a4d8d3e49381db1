package io.github.amimaven.testing.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Images and snapshots: describe, create from an instance, register, copy across regions, share, delete. */
final class ImageHandlers {

    private ImageHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("DescribeImages", ImageHandlers::describeImages);
        h.put("DescribeImageAttribute", ImageHandlers::describeImageAttribute);
        h.put("ModifyImageAttribute", ImageHandlers::modifyImageAttribute);
        h.put("CreateImage", ImageHandlers::createImage);
        h.put("RegisterImage", ImageHandlers::registerImage);
        h.put("CopyImage", ImageHandlers::copyImage);
        h.put("DeregisterImage", ImageHandlers::deregisterImage);
        h.put("DescribeSnapshots", ImageHandlers::describeSnapshots);
        h.put("DeleteSnapshot", ImageHandlers::deleteSnapshot);
        h.put("ModifySnapshotAttribute", ImageHandlers::modifySnapshotAttribute);
        h.put("DescribeSnapshotAttribute", ImageHandlers::describeSnapshotAttribute);
    }

    // ---- images ----

    private static void describeImages(Call c, Xml out) {
        List<String> ids = c.params.list("ImageId");
        ids.forEach(id -> visibleImage(c, c.region, id));
        List<String> owners = c.params.list("Owner").stream().map(c::owner).toList();
        List<String> executableBy = c.params.list("ExecutableBy");
        Filters filters = Filters.of(c.params);
        out.start("imagesSet");
        for (Resources.Image img : c.region.images.values()) {
            if ((!ids.isEmpty() && !ids.contains(img.id)) || !visible(c, img)) {
                continue;
            }
            if (!owners.isEmpty() && !owners.contains(img.ownerId)
                    && (img.ownerAlias == null || !owners.contains(img.ownerAlias))) {
                continue;
            }
            if (!executableBy.isEmpty() && executableBy.stream().noneMatch(e -> executable(c, img, e))) {
                continue;
            }
            if (!filters.matches(img.tags, f -> imageFilter(img, f))) {
                continue;
            }
            writeImage(out, img);
        }
        out.end();
    }

    /** Another account's private image, not shared with this one, does not exist as far as this one can tell. */
    static boolean visible(Call c, Resources.Image img) {
        return img.isPublic || img.ownerId.equals(c.accountId()) || img.launchUserIds.contains(c.accountId());
    }

    static Resources.Image visibleImage(Call c, RegionState region, String id) {
        Resources.Image img = region.image(id);
        if (!visible(c, img)) {
            throw Ec2Error.of("InvalidAMIID.NotFound", "The image id '[" + id + "]' does not exist");
        }
        return img;
    }

    private static boolean executable(Call c, Resources.Image img, String by) {
        if ("all".equals(by)) {
            return img.isPublic;
        }
        String account = c.owner(by);
        return img.isPublic || img.ownerId.equals(account) || img.launchUserIds.contains(account);
    }

    private static Collection<String> imageFilter(Resources.Image img, String filter) {
        return switch (filter) {
            case "name" -> Filters.one(img.name);
            case "image-id" -> List.of(img.id);
            case "state" -> List.of(img.state);
            case "owner-id" -> List.of(img.ownerId);
            case "owner-alias" -> Filters.one(img.ownerAlias);
            case "architecture" -> List.of(img.architecture);
            case "root-device-type" -> List.of(img.rootDeviceType);
            case "root-device-name" -> List.of(img.rootDeviceName);
            case "virtualization-type" -> List.of(img.virtualizationType);
            case "is-public" -> List.of(String.valueOf(img.isPublic));
            case "image-type" -> List.of("machine");
            case "hypervisor" -> List.of("xen");
            case "ena-support" -> List.of(String.valueOf(img.enaSupport));
            case "description" -> Filters.one(img.description);
            case "platform" -> List.of();
            case "creation-date" -> List.of(Xml.time(img.creationDate));
            case "block-device-mapping.snapshot-id" -> img.snapshotIds();
            case "block-device-mapping.device-name" -> img.blockDevices.stream().map(b -> b.deviceName).toList();
            case "block-device-mapping.volume-size" ->
                    img.blockDevices.stream().map(b -> String.valueOf(b.volumeSize)).toList();
            case "block-device-mapping.volume-type" ->
                    img.blockDevices.stream().map(b -> String.valueOf(b.volumeType)).toList();
            default -> null;
        };
    }

    static void writeImage(Xml out, Resources.Image img) {
        out.start("item").el("imageId", img.id).el("imageLocation", img.ownerId + "/" + img.name)
                .el("imageState", img.state).el("imageOwnerId", img.ownerId).el("creationDate", img.creationDate)
                .el("isPublic", img.isPublic).el("architecture", img.architecture).el("imageType", "machine")
                .el("imageOwnerAlias", img.ownerAlias).el("name", img.name).el("description", img.description)
                .el("rootDeviceType", img.rootDeviceType).el("rootDeviceName", img.rootDeviceName)
                .el("bootMode", img.bootMode);
        writeBlockDevices(out, img.blockDevices);
        out.el("virtualizationType", img.virtualizationType).tagSet(img.tags).el("hypervisor", "xen")
                .el("enaSupport", img.enaSupport).el("platform", img.platform)
                .el("platformDetails", "windows".equals(img.platform) ? "Windows" : "Linux/UNIX")
                .el("usageOperation", "RunInstances").el("sourceInstanceId", img.sourceInstanceId)
                .el("deprecationTime", img.deprecationTime).el("deregistrationProtection", img.deregistrationProtection());
        if (img.stateReasonCode != null) {
            out.start("stateReason").el("code", img.stateReasonCode).el("message", img.stateReasonMessage).end();
        }
        out.end();
    }

    static void writeBlockDevices(Xml out, List<Resources.BlockDevice> devices) {
        out.start("blockDeviceMapping");
        for (Resources.BlockDevice b : devices) {
            out.start("item").el("deviceName", b.deviceName).start("ebs").el("snapshotId", b.snapshotId)
                    .el("volumeSize", b.volumeSize).el("deleteOnTermination", b.deleteOnTermination)
                    .el("volumeType", b.volumeType).el("encrypted", b.encrypted).el("kmsKeyId", b.kmsKeyId).end().end();
        }
        out.end();
    }

    private static Resources.Image ownImage(Call c, String id) {
        Resources.Image img = c.region.image(id);
        if (!img.ownerId.equals(c.accountId())) {
            throw new Ec2Error("UnauthorizedOperation",
                    "You are not authorized to perform this operation on image " + id, 403);
        }
        return img;
    }

    private static void describeImageAttribute(Call c, Xml out) {
        Resources.Image img = visibleImage(c, c.region, c.params.required("ImageId"));
        String attribute = c.params.required("Attribute");
        out.el("imageId", img.id);
        switch (attribute) {
            case "launchPermission" -> {
                out.start("launchPermission");
                img.launchGroups.forEach(g -> out.start("item").el("group", g).end());
                img.launchUserIds.forEach(u -> out.start("item").el("userId", u).end());
                img.launchOrganizationArns.forEach(o -> out.start("item").el("organizationArn", o).end());
                img.launchOrganizationalUnitArns.forEach(o -> out.start("item").el("organizationalUnitArn", o).end());
                out.end();
            }
            case "deregistrationProtection" -> out.start("deregistrationProtection")
                    .el("value", img.deregistrationProtection()).end();
            case "description" -> out.start("description").el("value", img.description).end();
            case "blockDeviceMapping" -> writeBlockDevices(out, img.blockDevices);
            case "productCodes" -> out.start("productCodes").end();
            case "bootMode" -> out.start("bootMode").el("value", img.bootMode).end();
            case "kernel", "ramdisk", "sriovNetSupport", "uefiData", "lastLaunchedTime", "imdsSupport",
                    "tpmSupport" -> {
                // known attributes this stand-in keeps no value for: answered empty, as EC2 does when unset
            }
            default -> throw Ec2Error.invalidValue("Value (" + attribute + ") for parameter attribute is invalid.");
        }
    }

    private static void modifyImageAttribute(Call c, Xml out) {
        Resources.Image img = ownImage(c, c.params.required("ImageId"));
        Params p = c.params;
        List<Params> add = new ArrayList<>(p.members("LaunchPermission.Add"));
        List<Params> remove = new ArrayList<>(p.members("LaunchPermission.Remove"));
        String attribute = p.get("Attribute");
        if ("launchPermission".equals(attribute)) {
            // the older flat form: Attribute + OperationType + UserId.N / UserGroup.N
            String op = p.required("OperationType");
            List<Params> target = "add".equals(op) ? add : "remove".equals(op) ? remove : null;
            if (target == null) {
                throw Ec2Error.invalidValue("Value (" + op + ") for parameter operationType is invalid.");
            }
            p.list("UserId").forEach(u -> target.add(new Params(Map.of("UserId", u))));
            p.list("UserGroup").forEach(g -> target.add(new Params(Map.of("Group", g))));
        }
        for (Params a : add) {
            if (a.get("UserId") != null) {
                img.launchUserIds.add(checkAccountId(a.get("UserId")));
            }
            if (a.get("Group") != null) {
                img.launchGroups.add(checkGroup(a.get("Group")));
                img.isPublic = true;
            }
            if (a.get("OrganizationArn") != null) {
                img.launchOrganizationArns.add(checkArn(a.get("OrganizationArn"), ORGANIZATION_ARN));
            }
            if (a.get("OrganizationalUnitArn") != null) {
                img.launchOrganizationalUnitArns.add(checkArn(a.get("OrganizationalUnitArn"), OU_ARN));
            }
        }
        for (Params r : remove) {
            if (r.get("UserId") != null) {
                img.launchUserIds.remove(r.get("UserId"));
            }
            if (r.get("Group") != null) {
                img.launchGroups.remove(r.get("Group"));
                img.isPublic = !img.launchGroups.isEmpty();
            }
            if (r.get("OrganizationArn") != null) {
                img.launchOrganizationArns.remove(r.get("OrganizationArn"));
            }
            if (r.get("OrganizationalUnitArn") != null) {
                img.launchOrganizationalUnitArns.remove(r.get("OrganizationalUnitArn"));
            }
        }
        if (p.has("Description.Value")) {
            img.description = p.get("Description.Value");
        } else if ("description".equals(attribute)) {
            img.description = p.get("Value");
        }
        out.el("return", true);
    }

    private static String checkAccountId(String id) {
        if (!id.matches("\\d{12}")) {
            throw Ec2Error.of("InvalidAMIAttributeItemValue", "Invalid attribute item value \"" + id + "\" for userId item type.");
        }
        return id;
    }

    private static final java.util.regex.Pattern ORGANIZATION_ARN =
            java.util.regex.Pattern.compile("arn:aws[a-z-]*:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}");
    private static final java.util.regex.Pattern OU_ARN = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");

    private static String checkArn(String arn, java.util.regex.Pattern pattern) {
        if (!pattern.matcher(arn).matches()) {
            throw Ec2Error.of("InvalidAMIAttributeItemValue", "Invalid attribute item value \"" + arn + "\" for an organization.");
        }
        return arn;
    }

    private static String checkGroup(String group) {
        if (!"all".equals(group)) {
            throw Ec2Error.of("InvalidAMIAttributeItemValue", "Invalid attribute item value \"" + group + "\" for group item type.");
        }
        return group;
    }

    /** EC2's rule for AMI names: 3 to 128 of letters, digits, ( ) [ ] space . / - ' @ _ */
    static String checkName(Call c, String name, RegionState region) {
        if (!name.matches("[A-Za-z0-9()\\[\\] ./\\-'@_]{3,128}")) {
            throw Ec2Error.of("InvalidAMIName.Malformed", "AMI names must be between 3 and 128 characters long, "
                    + "and may contain letters, numbers, '(', ')', '.', '-', '/' and '_': " + name);
        }
        for (Resources.Image other : region.images.values()) {
            if (name.equals(other.name) && other.ownerId.equals(c.accountId())) {
                throw Ec2Error.of("InvalidAMIName.Duplicate", "AMI name " + name + " is already in use by AMI " + other.id);
            }
        }
        return name;
    }

    /** An image of the caller's account, made now: where CreateImage, RegisterImage and CopyImage start. */
    private static Resources.Image newImage(Call c, String name, String description) {
        Resources.Image img = new Resources.Image();
        img.id = RegionState.newId("ami-");
        img.name = name;
        img.description = description;
        img.ownerId = c.accountId();
        img.creationDate = Instant.now();
        return img;
    }

    private static void createImage(Call c, Xml out) {
        Resources.Instance inst = c.region.instance(c.params.required("InstanceId"));
        String name = checkName(c, c.params.required("Name"), c.region);
        if (inst.state != Resources.InstanceState.RUNNING && inst.state != Resources.InstanceState.STOPPED) {
            throw Ec2Error.of("IncorrectInstanceState", "The instance '" + inst.id + "' is not in a state from "
                    + "which it can be imaged (" + inst.state.label + ").");
        }
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(c.params, Set.of("image", "snapshot"));
        Resources.Image img = newImage(c, name, c.params.get("Description"));
        img.architecture = inst.architecture;
        img.platform = inst.platform;
        img.rootDeviceName = inst.rootDeviceName;
        img.sourceInstanceId = inst.id;
        img.tags.putAll(tags.getOrDefault("image", Map.of()));
        List<Resources.Snapshot> snaps = new ArrayList<>();
        for (Resources.BlockDevice b : inst.blockDevices) {
            Resources.Snapshot s = newSnapshot(c, b.volumeSize, b.volumeId,
                    "Created by CreateImage(" + inst.id + ") for " + img.id);
            s.encrypted = b.encrypted;
            s.kmsKeyId = b.kmsKeyId;
            s.tags.putAll(tags.getOrDefault("snapshot", Map.of()));
            snaps.add(s);
            Resources.BlockDevice copy = b.copy();
            copy.volumeId = null;
            copy.snapshotId = s.id;
            img.blockDevices.add(copy);
        }
        addedVolumes(c, img, c.params.members("BlockDeviceMapping"));
        if (inst.vmId != null) {
            if (inst.state != Resources.InstanceState.STOPPED) {
                throw Ec2Error.of("IncorrectInstanceState", "The test endpoint images VM-backed instances only when "
                        + "stopped; '" + inst.id + "' is " + inst.state.label);
            }
            c.region.images.put(img.id, img);
            snaps.forEach(s -> c.region.snapshots.put(s.id, s));
            captureVmLater(c, inst, img, snaps);
            out.el("imageId", img.id);
            return;
        }
        c.region.images.put(img.id, img);
        completeLater(c, c.region, img, snaps, AccountState.Transition.IMAGE_PENDING);
        out.el("imageId", img.id);
    }

    /**
     * CreateImage's block device mappings: a device of the instance can only be left out (NoDevice) or change
     * DeleteOnTermination, as on EC2; another device is a volume added to the image, empty or of a snapshot.
     */
    private static void addedVolumes(Call c, Resources.Image img, List<Params> mappings) {
        for (Params m : mappings) {
            String name = m.required("DeviceName");
            Resources.BlockDevice existing = img.blockDevices.stream().filter(b -> b.deviceName.equals(name)).findFirst()
                    .orElse(null);
            if (m.has("NoDevice")) {
                img.blockDevices.remove(existing);
                continue;
            }
            if (existing != null) {
                if (m.has("Ebs.VolumeSize") || m.has("Ebs.VolumeType") || m.has("Ebs.Iops") || m.has("Ebs.Encrypted")
                        || m.has("Ebs.SnapshotId")) {
                    throw Ec2Error.of("InvalidBlockDeviceMapping", "The device " + name + " of the instance can only"
                            + " change DeleteOnTermination in CreateImage");
                }
                existing.deleteOnTermination = m.bool("Ebs.DeleteOnTermination", existing.deleteOnTermination);
                continue;
            }
            Resources.BlockDevice b = new Resources.BlockDevice();
            b.deviceName = name;
            b.snapshotId = m.get("Ebs.SnapshotId") == null ? null : c.region.snapshot(m.get("Ebs.SnapshotId")).id;
            b.volumeSize = m.integer("Ebs.VolumeSize");
            if (b.volumeSize == null && b.snapshotId == null) {
                throw Ec2Error.of("InvalidBlockDeviceMapping", "The request must contain a volume size or snapshot for " + name);
            }
            b.volumeType = m.get("Ebs.VolumeType", "gp2");
            b.deleteOnTermination = m.bool("Ebs.DeleteOnTermination", true);
            performance(b, m);
            b.encrypted = m.bool("Ebs.Encrypted", false);
            img.blockDevices.add(b);
        }
    }

    /** A mapping's IOPS and throughput, refused for volume types that take none, as EBS does. */
    static void performance(Resources.BlockDevice b, Params m) {
        Integer iops = m.integer("Ebs.Iops");
        if (iops != null && !Set.of("gp3", "io1", "io2").contains(b.volumeType)) {
            throw Ec2Error.of("InvalidParameterCombination", "The parameter iops is not supported for " + b.volumeType
                    + " volumes.");
        }
        if (iops == null && Set.of("io1", "io2").contains(b.volumeType) && b.iops == null) {
            throw Ec2Error.missing("Iops");
        }
        Integer throughput = m.integer("Ebs.Throughput");
        if (throughput != null && !"gp3".equals(b.volumeType)) {
            throw Ec2Error.of("InvalidParameterCombination", "The parameter throughput is not supported for "
                    + b.volumeType + " volumes.");
        }
        b.iops = iops != null ? iops : b.iops;
        b.throughput = throughput != null ? throughput : b.throughput;
    }

    /** VM mode: the image becomes available once the stopped VM's disk has been captured, and stands for it. */
    private static void captureVmLater(Call c, Resources.Instance inst, Resources.Image img, List<Resources.Snapshot> snaps) {
        String vm = inst.vmId;
        AccountState account = c.account;
        Ec2TestEndpoint endpoint = c.endpoint;
        endpoint.inBackground(() -> {
            String disk = null;
            String error = null;
            try {
                disk = endpoint.vms().capture(vm, img.name);
            } catch (RuntimeException e) {
                error = String.valueOf(e.getMessage());
            }
            synchronized (account) {
                if (!"pending".equals(img.state)) {
                    return;
                }
                if (disk == null) {
                    img.state = "failed";
                    img.stateReasonCode = "Server.InternalError";
                    img.stateReasonMessage = "capturing the VM's disk failed: " + error;
                    snaps.forEach(s -> s.state = "error");
                } else {
                    img.disk = disk;
                    img.state = "available";
                    snaps.forEach(s -> s.state = "completed");
                }
            }
        });
    }

    private static Resources.Snapshot newSnapshot(Call c, Integer size, String volumeId, String description) {
        Resources.Snapshot s = new Resources.Snapshot();
        s.id = RegionState.newId("snap-");
        s.volumeId = volumeId == null ? "vol-ffffffff" : volumeId;
        s.ownerId = c.accountId();
        s.volumeSize = size == null ? 8 : size;
        s.startTime = Instant.now();
        s.description = description;
        return s;
    }

    /**
     * Makes the image available (or failed, when the account injects that fault) after the transition's delay.
     * The fault is read now, so a test that turns it on before a create knows which images it affects.
     */
    private static void completeLater(Call c, RegionState region, Resources.Image img, List<Resources.Snapshot> snaps,
            AccountState.Transition transition) {
        snaps.forEach(s -> region.snapshots.put(s.id, s));
        boolean fail = c.account.config().faults.imagesFail();
        c.endpoint.later(c.account, c.account.config().delay(transition), () -> {
            if (region.images.get(img.id) != img || !"pending".equals(img.state)) {
                return;
            }
            if (fail) {
                img.state = "failed";
                img.stateReasonCode = "Server.InternalError";
                img.stateReasonMessage = "Image creation failed (injected fault)";
                snaps.forEach(s -> s.state = "error");
            } else {
                img.state = "available";
                snaps.forEach(s -> s.state = "completed");
            }
        });
    }

    private static void registerImage(Call c, Xml out) {
        if (c.params.has("ImageLocation")) {
            throw Ec2Error.of("InvalidParameterCombination", "S3-backed (instance store) images are not supported here");
        }
        String name = checkName(c, c.params.required("Name"), c.region);
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(c.params, Set.of("image"));
        Resources.Image img = newImage(c, name, c.params.get("Description"));
        img.architecture = c.params.get("Architecture", "x86_64");
        img.virtualizationType = c.params.get("VirtualizationType", "hvm");
        img.rootDeviceName = c.params.required("RootDeviceName");
        img.bootMode = c.params.get("BootMode");
        img.enaSupport = c.params.bool("EnaSupport", false);
        for (Params m : c.params.members("BlockDeviceMapping")) {
            Resources.BlockDevice b = new Resources.BlockDevice();
            b.deviceName = m.required("DeviceName");
            b.snapshotId = m.get("Ebs.SnapshotId");
            Integer size = m.integer("Ebs.VolumeSize");
            if (b.snapshotId != null) {
                Resources.Snapshot s = c.region.snapshot(b.snapshotId);
                b.volumeSize = size != null ? size : s.volumeSize;
            } else {
                b.volumeSize = size;
            }
            b.volumeType = m.get("Ebs.VolumeType", "gp2");
            b.deleteOnTermination = m.bool("Ebs.DeleteOnTermination", true);
            img.blockDevices.add(b);
        }
        if (img.blockDevices.stream().noneMatch(b -> img.rootDeviceName.equals(b.deviceName) && b.snapshotId != null)) {
            throw Ec2Error.invalidValue("The root device " + img.rootDeviceName + " needs a block device mapping with a snapshot");
        }
        img.tags.putAll(tags.getOrDefault("image", Map.of()));
        c.region.images.put(img.id, img);
        completeLater(c, c.region, img, List.of(), AccountState.Transition.IMAGE_PENDING);
        out.el("imageId", img.id);
    }

    private static void copyImage(Call c, Xml out) {
        String sourceRegion = c.params.required("SourceRegion");
        String sourceImageId = c.params.required("SourceImageId");
        String token = c.params.get("ClientToken");
        if (token != null && c.region.clientTokens.containsKey("copy:" + token)) {
            out.el("imageId", c.region.clientTokens.get("copy:" + token));
            return;
        }
        Resources.Image src = c.region(sourceRegion).images.get(sourceImageId);
        if (src == null) {
            // not this account's: another account's image shared with it, read under that account's lock
            src = c.endpoint.sharedCopySource(c.account, sourceRegion, sourceImageId);
        }
        if (src == null) {
            src = visibleImage(c, c.region(sourceRegion), sourceImageId); // malformed or unknown: EC2's error
        }
        if (!"available".equals(src.state)) {
            throw Ec2Error.of("IncorrectState", "Image " + sourceImageId + " is not in the available state (" + src.state + ")");
        }
        String name = checkName(c, c.params.get("Name", src.name), c.region);
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(c.params, Set.of("image", "snapshot"));
        String kmsKeyId = c.params.get("KmsKeyId");
        boolean encrypted = c.params.bool("Encrypted", false);
        if (kmsKeyId != null && !encrypted) {
            throw Ec2Error.of("InvalidParameterCombination", "KmsKeyId requires Encrypted to be true");
        }
        Resources.Image img = newImage(c, name, c.params.get("Description", src.description));
        img.architecture = src.architecture;
        img.virtualizationType = src.virtualizationType;
        img.rootDeviceName = src.rootDeviceName;
        img.bootMode = src.bootMode;
        img.disk = src.disk;
        img.enaSupport = src.enaSupport;
        img.platform = src.platform;
        img.sourceImageId = src.id;
        img.sourceRegion = sourceRegion;
        if (c.params.bool("CopyImageTags", false)) {
            img.tags.putAll(src.tags);
        }
        img.tags.putAll(tags.getOrDefault("image", Map.of()));
        List<Resources.Snapshot> snaps = new ArrayList<>();
        for (Resources.BlockDevice b : src.blockDevices) {
            Resources.BlockDevice copy = b.copy();
            if (b.snapshotId != null) {
                Resources.Snapshot s = newSnapshot(c, b.volumeSize, "vol-ffffffff", "Copied for DestinationAmi "
                        + img.id + " from SourceAmi " + src.id + " for SourceSnapshot " + b.snapshotId);
                s.tags.putAll(tags.getOrDefault("snapshot", Map.of()));
                if (encrypted || b.encrypted) {
                    s.encrypted = true;
                    s.kmsKeyId = kmsKeyId != null ? kmsKeyId : encrypted ? "alias/aws/ebs" : b.kmsKeyId;
                    copy.encrypted = true;
                    copy.kmsKeyId = s.kmsKeyId;
                }
                snaps.add(s);
                copy.snapshotId = s.id;
            }
            img.blockDevices.add(copy);
        }
        c.region.images.put(img.id, img);
        if (token != null) {
            c.region.clientTokens.put("copy:" + token, img.id);
        }
        completeLater(c, c.region, img, snaps, AccountState.Transition.IMAGE_COPY);
        out.el("imageId", img.id);
    }

    private static void deregisterImage(Call c, Xml out) {
        Resources.Image img = ownImage(c, c.params.required("ImageId"));
        if (img.protectedUntil != null && img.protectedUntil.isAfter(Instant.now())) {
            throw Ec2Error.of("InvalidParameterValue", "Image " + img.id + " has deregistration protection ("
                    + img.deregistrationProtection() + "); disable it first");
        }
        c.region.images.remove(img.id);
        // EC2 keeps the snapshots unless asked to delete them
        if (c.params.bool("DeleteAssociatedSnapshots", false)) {
            img.snapshotIds().forEach(c.region.snapshots::remove);
        }
        out.el("return", true);
    }

    // ---- snapshots ----

    private static void describeSnapshots(Call c, Xml out) {
        List<String> ids = c.params.list("SnapshotId");
        ids.forEach(c.region::snapshot);
        List<String> owners = c.params.list("Owner").stream().map(c::owner).toList();
        List<String> restorableBy = c.params.list("RestorableBy").stream().map(c::owner).toList();
        Filters filters = Filters.of(c.params);
        out.start("snapshotSet");
        for (Resources.Snapshot s : c.region.snapshots.values()) {
            boolean visible = s.ownerId.equals(c.accountId()) || s.volumePermissionGroups.contains("all")
                    || s.volumePermissionUserIds.contains(c.accountId());
            if (!ids.isEmpty()) {
                if (!ids.contains(s.id)) {
                    continue;
                }
            } else if (!visible && owners.isEmpty()) {
                continue;
            }
            if (!owners.isEmpty() && !owners.contains(s.ownerId)) {
                continue;
            }
            if (!restorableBy.isEmpty() && restorableBy.stream().noneMatch(r -> s.ownerId.equals(r)
                    || s.volumePermissionUserIds.contains(r) || s.volumePermissionGroups.contains("all"))) {
                continue;
            }
            if (!filters.matches(s.tags, f -> switch (f) {
                case "snapshot-id" -> List.of(s.id);
                case "status" -> List.of(s.state);
                case "owner-id" -> List.of(s.ownerId);
                case "owner-alias" -> List.of();
                case "description" -> Filters.one(s.description);
                case "volume-id" -> Filters.one(s.volumeId);
                case "volume-size" -> List.of(String.valueOf(s.volumeSize));
                case "encrypted" -> List.of(String.valueOf(s.encrypted));
                case "progress" -> List.of("completed".equals(s.state) ? "100%" : "0%");
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("snapshotId", s.id).el("volumeId", s.volumeId).el("status", s.state)
                    .el("startTime", s.startTime).el("progress", "completed".equals(s.state) ? "100%" : "0%")
                    .el("ownerId", s.ownerId).el("volumeSize", s.volumeSize).el("description", s.description)
                    .el("encrypted", s.encrypted).el("kmsKeyId", s.kmsKeyId).el("storageTier", "standard")
                    .tagSet(s.tags).end();
        }
        out.end();
    }

    private static void deleteSnapshot(Call c, Xml out) {
        Resources.Snapshot s = c.region.snapshot(c.params.required("SnapshotId"));
        if (!s.ownerId.equals(c.accountId())) {
            throw new Ec2Error("UnauthorizedOperation", "You are not authorized to delete snapshot " + s.id, 403);
        }
        for (Resources.Image img : c.region.images.values()) {
            if (img.snapshotIds().contains(s.id)) {
                throw Ec2Error.of("InvalidSnapshot.InUse", "The snapshot " + s.id + " is currently in use by " + img.id);
            }
        }
        c.region.snapshots.remove(s.id);
        out.el("return", true);
    }

    private static void modifySnapshotAttribute(Call c, Xml out) {
        Resources.Snapshot s = c.region.snapshot(c.params.required("SnapshotId"));
        if (!s.ownerId.equals(c.accountId())) {
            throw new Ec2Error("UnauthorizedOperation", "You are not authorized to modify snapshot " + s.id, 403);
        }
        Params p = c.params;
        List<Params> add = new ArrayList<>(p.members("CreateVolumePermission.Add"));
        List<Params> remove = new ArrayList<>(p.members("CreateVolumePermission.Remove"));
        if (p.has("OperationType")) {
            List<Params> target = "add".equals(p.get("OperationType")) ? add : remove;
            p.list("UserId").forEach(u -> target.add(new Params(Map.of("UserId", u))));
            p.list("UserGroup").forEach(g -> target.add(new Params(Map.of("Group", g))));
        }
        for (Params a : add) {
            if (a.get("UserId") != null) {
                s.volumePermissionUserIds.add(a.get("UserId"));
            }
            if (a.get("Group") != null) {
                s.volumePermissionGroups.add(a.get("Group"));
            }
        }
        for (Params r : remove) {
            if (r.get("UserId") != null) {
                s.volumePermissionUserIds.remove(r.get("UserId"));
            }
            if (r.get("Group") != null) {
                s.volumePermissionGroups.remove(r.get("Group"));
            }
        }
        out.el("return", true);
    }

    private static void describeSnapshotAttribute(Call c, Xml out) {
        Resources.Snapshot s = c.region.snapshot(c.params.required("SnapshotId"));
        String attribute = c.params.required("Attribute");
        out.el("snapshotId", s.id);
        if ("createVolumePermission".equals(attribute)) {
            out.start("createVolumePermission");
            s.volumePermissionGroups.forEach(g -> out.start("item").el("group", g).end());
            s.volumePermissionUserIds.forEach(u -> out.start("item").el("userId", u).end());
            out.end();
        } else if ("productCodes".equals(attribute)) {
            out.start("productCodes").end();
        } else {
            throw Ec2Error.invalidValue("Value (" + attribute + ") for parameter attribute is invalid.");
        }
    }
}
