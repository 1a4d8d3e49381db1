package io.github.amimaven.testing.ec2;

import java.util.List;
import java.util.Map;

/**
 * EBS volumes, seen only as the block devices of instances: in use while the instance lives, kept as
 * {@code available} after termination when DeleteOnTermination was false, until DeleteVolume. Packer's
 * cleanup step lists them.
 */
final class VolumeHandlers {

    private VolumeHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("DescribeVolumes", VolumeHandlers::describeVolumes);
        h.put("DeleteVolume", VolumeHandlers::deleteVolume);
    }

    private record Volume(Resources.Instance instance, Resources.BlockDevice device) {
        boolean exists() {
            return !device.volumeDeleted && (instance.state != Resources.InstanceState.TERMINATED
                    || !device.deleteOnTermination);
        }

        String state() {
            return instance.state == Resources.InstanceState.TERMINATED ? "available" : "in-use";
        }
    }

    private static List<Volume> volumes(RegionState rs) {
        return rs.instances.values().stream()
                .flatMap(i -> i.blockDevices.stream().map(d -> new Volume(i, d)))
                .filter(Volume::exists)
                .toList();
    }

    private static Volume volume(RegionState rs, String id) {
        return volumes(rs).stream().filter(v -> id.equals(v.device.volumeId)).findFirst()
                .orElseThrow(() -> Ec2Error.of("InvalidVolume.NotFound", "The volume '" + id + "' does not exist."));
    }

    private static void describeVolumes(Call c, Xml out) {
        List<String> ids = c.params.list("VolumeId");
        ids.forEach(id -> volume(c.region, id));
        Filters filters = Filters.of(c.params);
        out.start("volumeSet");
        for (Volume v : volumes(c.region)) {
            Resources.BlockDevice d = v.device;
            Resources.Instance i = v.instance;
            if (!ids.isEmpty() && !ids.contains(d.volumeId)) {
                continue;
            }
            boolean attached = "in-use".equals(v.state());
            if (!filters.matches(i.volumeTags, f -> switch (f) {
                case "volume-id" -> List.of(d.volumeId);
                case "status" -> List.of(v.state());
                case "attachment.instance-id" -> attached ? List.of(i.id) : List.of();
                case "attachment.device" -> attached ? List.of(d.deviceName) : List.of();
                case "attachment.status" -> attached ? List.of("attached") : List.of();
                case "attachment.delete-on-termination" -> List.of(String.valueOf(d.deleteOnTermination));
                case "availability-zone" -> List.of(i.availabilityZone);
                case "snapshot-id" -> Filters.one(d.snapshotId);
                case "size" -> List.of(String.valueOf(d.volumeSize));
                case "volume-type" -> Filters.one(d.volumeType);
                case "encrypted" -> List.of(String.valueOf(d.encrypted));
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("volumeId", d.volumeId).el("size", d.volumeSize).el("snapshotId", d.snapshotId)
                    .el("availabilityZone", i.availabilityZone).el("status", v.state()).el("createTime", i.launchTime)
                    .start("attachmentSet");
            if (attached) {
                out.start("item").el("volumeId", d.volumeId).el("instanceId", i.id).el("device", d.deviceName)
                        .el("status", "attached").el("attachTime", i.launchTime)
                        .el("deleteOnTermination", d.deleteOnTermination).end();
            }
            out.end().el("volumeType", d.volumeType).el("encrypted", d.encrypted).tagSet(i.volumeTags)
                    .el("multiAttachEnabled", false).end();
        }
        out.end();
    }

    private static void deleteVolume(Call c, Xml out) {
        Volume v = volume(c.region, c.params.required("VolumeId"));
        if ("in-use".equals(v.state())) {
            throw Ec2Error.of("VolumeInUse", "Volume " + v.device.volumeId + " is currently attached to " + v.instance.id);
        }
        v.device.volumeDeleted = true;
        out.el("return", true);
    }
}
