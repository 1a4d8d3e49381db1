package io.github.amimaven.platform.local;

import java.util.List;
import java.util.Set;

import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.platform.ImageSettings;
import io.github.amimaven.platform.OrphanLocation;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformKind;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.platform.PlatformSession;
import io.github.amimaven.validation.Problems;

/**
 * QEMU on the build machine: its parameters ({@code localStore}, and {@code <local>}'s {@code storeDirectory},
 * {@code accelerator}, {@code memory}, {@code cpus}), what it cannot build or release, and its one platform.
 */
public final class LocalPlatformKind implements PlatformKind {

    @Override
    public String id() {
        return "local";
    }

    /** {@code <local>} is checked whenever it is given, used or not. */
    @Override
    public void checkParameters(PlatformParameters parameters, boolean used, Problems problems) {
        String accelerator = parameters.get("local.accelerator");
        if (accelerator != null && !Set.of("auto", "kvm", "tcg").contains(accelerator)) {
            problems.add("<local>/<accelerator>", "'" + accelerator + "' is unknown", "use auto, kvm or tcg");
        }
        Integer memory = parameters.integer("local.memory");
        if (memory != null && (memory < 256 || memory > 65536)) {
            problems.add("<local>/<memory>", "is " + memory, "give 256 to 65536 MiB");
        }
        Integer cpus = parameters.integer("local.cpus");
        if (cpus != null && (cpus < 1 || cpus > 64)) {
            problems.add("<local>/<cpus>", "is " + cpus, "give 1 to 64 CPUs");
        }
    }

    @Override
    public void checkSource(String id, List<String> owners, String path, String at, Problems problems) {
        if (id != null && !id.matches("[A-Za-z0-9._-]+")) {
            problems.add(at + "/<id>", "'" + id + "' is not an image id",
                    "write the id of an image of the local store, e.g. img-0123456789abcdef");
        }
    }

    @Override
    public void checkImage(ImageSettings image, String at, Problems problems) {
        if (image.windows()) {
            problems.add(at + "/<os>", "is windows, which only the ec2 platform builds",
                    "build Windows images with <platform>ec2</platform>");
        }
        if (image.ssh() != null && image.ssh().strictHostKeys()) {
            problems.add(at + "/<ssh>/<strictHostKeys>", "needs the machine's console output, which only the ec2 platform reads",
                    "remove it: local VMs listen on 127.0.0.1 only");
        }
        if (image.ssh() != null && !image.ssh().allowedCidrs().isEmpty()) {
            problems.add(at + "/<ssh>/<allowedCidrs>", "is for the ec2 platform's temporary security group, which a local VM"
                    + " has none of", "remove it: local VMs listen on 127.0.0.1 only");
        }
        LaunchOptions launch = image.launch();
        refuseEc2Only(launch.instanceType() != null, "<instanceType>", "size the VMs with <local><memory> and <local><cpus>",
                at, problems);
        refuseEc2Only(!launch.instanceTypes().isEmpty(), "<instanceTypes>",
                "size the VMs with <local><memory> and <local><cpus>", at, problems);
        refuseEc2Only(launch.spot() != null, "<spot>", "remove it: a local VM runs on the build machine", at, problems);
        refuseEc2Only(launch.subnetId() != null, "<subnetId>", "remove it: local VMs use QEMU's user network", at, problems);
        refuseEc2Only(!launch.securityGroupIds().isEmpty(), "<securityGroupIds>",
                "remove it: local VMs listen on 127.0.0.1 only", at, problems);
        refuseEc2Only(launch.iamInstanceProfile() != null, "<iamInstanceProfile>",
                "remove it: a local VM has no instance role", at, problems);
        refuseEc2Only(launch.rootVolumeType() != null, "<rootVolume>/<type>",
                "remove it: a local VM's disk is a qcow2 file (its <size> is used)", at, problems);
        refuseEc2Only(!launch.requireImdsV2(), "<requireImdsV2>", "remove it: a local VM has no metadata service", at, problems);
        refuseEc2Only(launch.associatePublicIp() != null, "<associatePublicIp>",
                "remove it: local VMs listen on 127.0.0.1 only", at, problems);
        refuseEc2Only(launch.rootVolumeIops() != null, "<rootVolume>/<iops>",
                "remove it: a local VM's disk is a qcow2 file (its <size> is used)", at, problems);
        refuseEc2Only(launch.rootVolumeThroughput() != null, "<rootVolume>/<throughput>",
                "remove it: a local VM's disk is a qcow2 file (its <size> is used)", at, problems);
        refuseEc2Only(launch.rootVolumeEncrypted(), "<rootVolume>/" + (launch.rootVolumeKmsKeyId() != null ? "<kmsKeyId>" : "<encrypted>"),
                "remove it: a local VM's disk is a qcow2 file, which the plugin does not encrypt", at, problems);
        refuseEc2Only(!launch.launchVolumes().isEmpty(), "<launchVolumes>", "remove it: a local VM has one disk", at, problems);
        refuseEc2Only(!launch.imageVolumes().isEmpty(), "<imageVolumes>", "remove it: a local image is one disk file", at,
                problems);
        refuseEc2Only(!launch.subnetFilter().isEmpty(), "<subnetFilter>", "remove it: local VMs use QEMU's user network",
                at, problems);
        refuseEc2Only(!launch.securityGroupFilter().isEmpty(), "<securityGroupFilter>",
                "remove it: local VMs listen on 127.0.0.1 only", at, problems);
        refuseEc2Only(!launch.runTags().isEmpty(), "<runTags>", "remove it: a local VM and its files carry no tags", at,
                problems);
    }

    /** A launch option set on a local image that only EC2 reads: refused, since the build would silently ignore it. */
    private static void refuseEc2Only(boolean set, String element, String fix, String at, Problems problems) {
        if (set) {
            problems.add(at + "/" + element, "is EC2-only, and the image's <platform> is local, which would ignore it",
                    fix + "; if <defaults> sets it, set it on the ec2 images instead");
        }
    }

    /** A local image is promoted in place, and goes nowhere else. */
    @Override
    public void checkRelease(ReleaseSpec.Promotion promotion, List<String> distribution, String at, Problems problems) {
        if (promotion == ReleaseSpec.Promotion.COPY) {
            problems.add(at + "/<promotion>", "copy is EC2-only; local images are promoted in place",
                    "remove it, or use <promotion>tag</promotion>");
        }
        for (String field : distribution) {
            problems.add(at + "/<" + field + ">", "is EC2-only, but the image's <platform> is local",
                    "remove it, or build the image with <platform>ec2</platform>");
        }
    }

    @Override
    public List<OrphanLocation> orphanLocations(PlatformParameters parameters, boolean used, Problems problems) {
        return used ? List.of(new OrphanLocation(id(), null, "the local platform")) : List.of();
    }

    @Override
    public String orphanLocationHint() {
        return "define a local image";
    }

    @Override
    public PlatformSession open(PlatformParameters parameters, BuildLog log) {
        return new Session(options(parameters), log);
    }

    /** The VMs' and the image store's settings; {@code localStore} wins over {@code <local><storeDirectory>}. */
    static LocalPlatform.Options options(PlatformParameters parameters) {
        LocalPlatform.Options options = LocalPlatform.Options.defaults();
        String store = parameters.get("localStore") != null ? parameters.get("localStore")
                : parameters.get("local.storeDirectory");
        if (store != null) {
            options = options.withStoreDir(parameters.basedir().resolve(store));
        }
        if (parameters.get("local.accelerator") != null) {
            options = options.withAccelerator(parameters.get("local.accelerator"));
        }
        if (parameters.integer("local.memory") != null) {
            options = options.withMemoryMb(parameters.integer("local.memory"));
        }
        if (parameters.integer("local.cpus") != null) {
            options = options.withCpus(parameters.integer("local.cpus"));
        }
        return options;
    }

    /** One local platform for all images of the build: it owns the VMs and kills them at the end. */
    private static final class Session implements PlatformSession {
        private final LocalPlatform.Options options;
        private final BuildLog log;
        private LocalPlatform platform;

        Session(LocalPlatform.Options options, BuildLog log) {
            this.options = options;
            this.log = log;
        }

        @Override
        public void checkCredentials() {
            // the build machine's own QEMU needs none
        }

        @Override
        public LocalPlatform platform() {
            if (platform == null) {
                platform = new LocalPlatform(log, options);
            }
            return platform;
        }

        @Override
        public ReleasePlatform releasePlatform() {
            return new LocalReleasePlatform(platform());
        }

        @Override
        public Platform platformAt(String place) {
            return platform();
        }

        @Override
        public void close() {
            if (platform != null) {
                platform.close();
            }
        }
    }
}
