package io.github.amimaven.platform.ec2;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.log.Secrets;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.Volume;
import io.github.amimaven.platform.ImageSettings;
import io.github.amimaven.platform.OrphanLocation;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformKind;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.platform.PlatformSession;
import io.github.amimaven.validation.Problems;
import io.github.amimaven.validation.Suggestions;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * EC2, the default platform: its parameters ({@code region}, {@code profile}, {@code roleArn}, {@code endpoint},
 * {@code maxAttempts}; for {@code ami:clean-orphans} also {@code regions}), EC2's rules for an image's settings,
 * and its clients.
 */
public final class Ec2PlatformKind implements PlatformKind {

    /** The shape of every AWS region code, GovCloud and ISO partitions included. */
    private static final Pattern REGION_CODE = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d+");
    private static final List<String> VOLUME_TYPES = List.of("gp2", "gp3", "io1", "io2", "st1", "sc1", "standard");
    private static final int MAX_USER_DATA = 16 * 1024;
    /** The families of the instance types the SDK knows: {@code t3} of {@code t3.micro}. */
    private static final Set<String> INSTANCE_FAMILIES = InstanceType.knownValues().stream()
            .map(type -> type.toString().substring(0, type.toString().indexOf('.')))
            .collect(Collectors.toCollection(TreeSet::new));

    @Override
    public String id() {
        return "ec2";
    }

    @Override
    public boolean isDefault() {
        return true;
    }

    @Override
    public void registerEnvironmentSecrets(Secrets secrets) {
        Ec2Clients.registerEnvironmentCredentials(secrets);
    }

    /**
     * The SDK's signers print each canonical request, session token included; its request logger and the HTTP
     * clients' wire and header loggers print headers and bodies.
     */
    @Override
    public List<String> loggersPrintingSecrets() {
        return List.of("software.amazon.awssdk.auth.signer", "software.amazon.awssdk.http", "software.amazon.awssdk.request",
                "org.apache.http.wire", "org.apache.http.headers");
    }

    @Override
    public void checkParameters(PlatformParameters parameters, boolean used, Problems problems) {
        if (!used) {
            return;
        }
        String region = parameters.get("region");
        String endpoint = parameters.get("endpoint");
        if (region == null || region.isBlank()) {
            problems.add("<region>", "is missing", "set <region>ap-southeast-2</region> (or -Dami.region=…) for EC2 images");
        } else {
            checkRegion("<region>", region, endpoint, problems);
        }
        if (endpoint != null) {
            try {
                URI uri = new URI(endpoint);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    problems.add("<endpoint>", "'" + endpoint + "' is not an http(s) URL", "write e.g. https://ec2.us-east-1.amazonaws.com");
                }
            } catch (URISyntaxException e) {
                problems.add("<endpoint>", "'" + endpoint + "' is not a URL", "write e.g. https://ec2.us-east-1.amazonaws.com");
            }
        }
        String roleArn = parameters.get("roleArn");
        if (roleArn != null && !roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
            problems.add("<roleArn>", "'" + roleArn + "' is not a role ARN", "write arn:aws:iam::123456789012:role/name");
        }
    }

    /** Adds a problem unless {@code value} is a region code (an AWS region, unless a custom endpoint is set). */
    private static void checkRegion(String pomPath, String value, String endpoint, Problems problems) {
        if (!REGION_CODE.matcher(value).matches()) {
            problems.add(pomPath, "'" + value + "' is not a region code", "use a region code such as us-east-1");
        } else if (endpoint == null && !Region.regions().contains(Region.of(value))) {
            problems.add(pomPath, "'" + value + "' is not an AWS region", "use a region code such as us-east-1 or ap-southeast-2");
        }
    }

    @Override
    public String defaultMachineType() {
        return "t3.micro";
    }

    @Override
    public void checkSource(String id, List<String> owners, String path, String at, Problems problems) {
        if (id != null && !id.matches("ami-[0-9a-f]{8}(?:[0-9a-f]{9})?")) {
            problems.add(at + "/<id>", "'" + id + "' is not an image id", "write ami- and 8 or 17 hex digits, e.g. ami-0123456789abcdef0");
        }
        if (owners != null) {
            for (String owner : owners) {
                if (owner == null || !owner.strip().matches("\\d{12}|self|amazon|aws-marketplace|aws-backup-vault")) {
                    problems.add(at + "/<owners>", "'" + owner + "' is not an owner",
                            "write 12-digit account ids, or self, amazon, aws-marketplace");
                }
            }
        }
        if (path != null) {
            problems.add(at + "/<path>", "is for the local platform", "give an <id> or <name> of an AMI instead");
        }
    }

    @Override
    public void checkImage(ImageSettings image, String at, Problems problems) {
        LaunchOptions launch = image.launch();
        for (String sg : launch.securityGroupIds()) {
            if (!sg.matches("sg-[0-9a-f]{8,17}")) {
                problems.add(at + "/<securityGroupIds>", "'" + sg + "' is not a security group id", "write ids such as sg-0123456789abcdef0");
            }
        }
        if (image.ssh() != null && launch.securityGroupIds().isEmpty() && launch.securityGroupFilter().isEmpty()
                && image.ssh().allowedCidrs().isEmpty()) {
            problems.add(at + "/<ssh>/<allowedCidrs>", "is empty, so nobody could reach the builder over SSH",
                    "list the build machine's addresses, e.g. <allowedCidrs><cidr>203.0.113.7/32</cidr></allowedCidrs>,"
                            + " or attach your own <securityGroupIds> or <securityGroupFilter>");
        }
        checkInstanceType(launch.instanceType(), at + "/<instanceType>", problems);
        Set<String> listed = new TreeSet<>();
        for (int i = 0; i < launch.instanceTypes().size(); i++) {
            String type = launch.instanceTypes().get(i);
            String typeAt = at + "/<instanceTypes>/<instanceType>[" + (i + 1) + "]";
            if (type == null || type.isBlank()) {
                problems.add(typeAt, "is empty", "write an instance type such as c7i.large, or remove it");
            } else if (!listed.add(type)) {
                problems.add(typeAt, "'" + type + "' is listed twice", "list each instance type once");
            } else {
                checkInstanceType(type, typeAt, problems);
            }
        }
        if (launch.spot() != null && launch.spot().maxPrice() != null) {
            checkMaxPrice(launch.spot().maxPrice(), at + "/<spot>/<maxPrice>", problems);
        }
        if (launch.subnetId() != null && !launch.subnetId().matches("subnet-[0-9a-f]{8,17}")) {
            problems.add(at + "/<subnetId>", "'" + launch.subnetId() + "' is not a subnet id", "write e.g. subnet-0123456789abcdef0");
        }
        String profile = launch.iamInstanceProfile();
        if (profile != null && !profile.matches("[\\w+=,.@-]{1,128}")
                && !profile.matches("arn:aws[a-z-]*:iam::\\d{12}:instance-profile/[\\w+=,.@/-]{1,128}")) {
            problems.add(at + "/<iamInstanceProfile>", "'" + profile + "' is not an instance profile name or ARN",
                    "write a name such as image-builder, or arn:aws:iam::123456789012:instance-profile/image-builder");
        }
        checkVolume(launch.rootVolumeType(), launch.rootVolumeIops(), launch.rootVolumeThroughput(), at + "/<rootVolume>",
                problems);
        checkVolumes(launch.launchVolumes(), at + "/<launchVolumes>", problems);
        checkVolumes(launch.imageVolumes(), at + "/<imageVolumes>", problems);
        if (launch.userData() != null && launch.userData().getBytes(StandardCharsets.UTF_8).length > MAX_USER_DATA) {
            problems.add(at + "/<userData>", "is larger than EC2's 16 KiB limit", "move the work into a provisioner or fetch it from user data");
        }
    }

    private static void checkInstanceType(String instanceType, String pomPath, Problems problems) {
        if (instanceType != null && !instanceType.matches("[a-z][a-z0-9-]*\\.[a-z0-9-]+")) {
            problems.add(pomPath, "'" + instanceType + "' is not an instance type", "write e.g. t3.micro");
        } else if (instanceType != null) {
            checkInstanceFamily(instanceType, pomPath, problems);
        }
    }

    /** A price in US dollars as EC2's MaxPrice takes it: a plain positive decimal, no currency sign or exponent. */
    private static void checkMaxPrice(String maxPrice, String pomPath, Problems problems) {
        String fix = "write the most an instance hour may cost in US dollars, e.g. 0.05, or remove it to pay up to the"
                + " on-demand price";
        if (!maxPrice.matches("\\d{1,6}(\\.\\d{1,8})?")) {
            problems.add(pomPath, "'" + maxPrice + "' is not a decimal price", fix);
        } else if (new BigDecimal(maxPrice).signum() == 0) {
            problems.add(pomPath, "is 0, which no spot instance costs", fix);
        }
    }

    private static void checkVolumes(List<Volume> volumes, String at, Problems problems) {
        for (int i = 0; i < volumes.size(); i++) {
            Volume v = volumes.get(i);
            String vat = at + "/<volume>[" + (i + 1) + "]";
            if (v.deviceName() != null && !v.deviceName().matches("/dev/[a-z0-9]+|xvd[a-z]+")) {
                problems.add(vat + "/<deviceName>", "'" + v.deviceName() + "' is not a device name",
                        "write e.g. /dev/sdf or /dev/xvdf");
            }
            if (v.snapshotId() != null && !v.snapshotId().matches("snap-[0-9a-f]{8}(?:[0-9a-f]{9})?")) {
                problems.add(vat + "/<snapshotId>", "'" + v.snapshotId() + "' is not a snapshot id",
                        "write snap- and 8 or 17 hex digits, e.g. snap-0123456789abcdef0");
            }
            checkVolume(v.type(), v.iops(), v.throughput(), vat, problems);
        }
    }

    /**
     * EBS's rules for a volume's performance: only gp3, io1 and io2 take IOPS, which io1 and io2 need; only gp3 takes a
     * throughput. The ranges are EBS's widest; EC2 answers a value beyond a type's own limit naming that limit.
     */
    private static void checkVolume(String type, Integer iops, Integer throughput, String at, Problems problems) {
        if (type != null && !VOLUME_TYPES.contains(type)) {
            problems.add(at + "/<type>", "'" + type + "' is unknown", "use one of " + VOLUME_TYPES);
            return;
        }
        boolean provisioned = type != null && List.of("gp3", "io1", "io2").contains(type);
        boolean needsIops = type != null && List.of("io1", "io2").contains(type);
        if (iops != null && !provisioned) {
            problems.add(at + "/<iops>", "is set for " + ofType(type) + ", which takes no provisioned IOPS",
                    "set <type>gp3</type>, io1 or io2 with it, or remove it");
        } else if (iops != null && (iops < 100 || iops > 256_000)) {
            problems.add(at + "/<iops>", "is " + iops, "give IOPS from 100 to 256000 (gp3: from 3000)");
        } else if (iops == null && needsIops) {
            problems.add(at + "/<iops>", "is missing, and a volume of type " + type + " needs it", "give e.g. <iops>3000</iops>");
        }
        if (throughput != null && !"gp3".equals(type)) {
            problems.add(at + "/<throughput>", "is set for " + ofType(type) + ", but only gp3 takes a throughput",
                    "set <type>gp3</type> with it, or remove it");
        } else if (throughput != null && (throughput < 125 || throughput > 2000)) {
            problems.add(at + "/<throughput>", "is " + throughput, "give MiB/s from 125 to 2000");
        }
    }

    private static String ofType(String type) {
        return type == null ? "a volume without <type>" : "a volume of type " + type;
    }

    /** A type of a family the SDK knows: a new size of a known family passes, a new family waits for a newer SDK. */
    private static void checkInstanceFamily(String instanceType, String pomPath, Problems problems) {
        String family = instanceType.substring(0, instanceType.indexOf('.'));
        if (!INSTANCE_FAMILIES.contains(family)) {
            String size = instanceType.substring(family.length());
            problems.add(pomPath, "'" + instanceType + "' is not of an EC2 instance family (" + family + " is unknown)",
                    Suggestions.closest(family, INSTANCE_FAMILIES).map(known -> "did you mean " + known + size + "?")
                            .orElse("write a type such as t3.micro or m7i.large"));
        }
    }

    @Override
    public void checkRelease(ReleaseSpec.Promotion promotion, List<String> distribution, String at, Problems problems) {
        // EC2 releases every way <deploy> offers
    }

    /**
     * Every region a release goes to is one the SDK knows (any region code with a custom {@code <endpoint>}, whose
     * regions are its own), and the build region's entry asks for no encryption: its image is the built one, which
     * no copy re-encrypts.
     */
    @Override
    public void checkReleaseTargets(ReleaseSpec release, PlatformParameters parameters, String at, Problems problems) {
        String endpoint = parameters.get("endpoint");
        String home = parameters.get("region") == null ? null : parameters.get("region").strip();
        for (int i = 0; i < release.regions().size(); i++) {
            ReleaseSpec.RegionTarget target = release.regions().get(i);
            String regionAt = at + "/<regions>/<region>[" + (i + 1) + "]";
            checkRegion(regionAt, target.region(), endpoint, problems);
            if (target.region().equals(home) && target.encrypted()) {
                problems.add(regionAt + (target.kmsKeyId() != null ? "/<kmsKeyId>" : "/<encrypted>"),
                        "is set on the build region " + home + ", whose image is the built one and is not copied there,"
                                + " so it would be ignored",
                        "remove it; to encrypt the image in the build region, turn on EBS encryption by default for"
                                + " the account in " + home + ", or build from a source image with encrypted snapshots");
            }
        }
        for (int i = 0; i < release.accountCopies().size(); i++) {
            for (String region : release.accountCopies().get(i).regions()) {
                checkRegion(at + "/<copyToAccounts>/<account>[" + (i + 1) + "]/<regions>", region, endpoint, problems);
            }
        }
        for (int i = 0; i < release.launchTemplates().size(); i++) {
            String region = release.launchTemplates().get(i).region();
            if (region != null) {
                checkRegion(at + "/<launchTemplates>/<launchTemplate>[" + (i + 1) + "]/<region>", region, endpoint, problems);
            }
        }
    }

    /** {@code <region>} when EC2 is used, and every region of {@code regions}. */
    @Override
    public List<OrphanLocation> orphanLocations(PlatformParameters parameters, boolean used, Problems problems) {
        Set<String> regions = new LinkedHashSet<>();
        String region = parameters.get("region");
        if (used && region != null && !region.isBlank()) {
            checkParameters(parameters, true, problems);
            regions.add(region.strip());
        }
        String more = parameters.get("regions");
        if (more != null) {
            for (String r : more.split(",")) {
                if (!r.isBlank()) {
                    checkRegion("-Dami.regions", r.strip(), parameters.get("endpoint"), problems);
                    regions.add(r.strip());
                }
            }
        }
        return regions.stream().map(r -> new OrphanLocation(id(), r, "ec2 " + r)).toList();
    }

    @Override
    public String orphanLocationHint() {
        return "set <region> (-Dami.region) or -Dami.regions=us-east-1,eu-west-1";
    }

    @Override
    public PlatformSession open(PlatformParameters parameters, BuildLog log) {
        return new Session(settings(parameters));
    }

    /**
     * How to reach EC2. Its home region (where images are built, and STS is called for {@code roleArn}) is
     * {@code <region>}; without one, the first of {@code regions} that {@code ami:clean-orphans} sweeps.
     */
    static Ec2Settings settings(PlatformParameters parameters) {
        String region = parameters.get("region");
        if (region == null || region.isBlank()) {
            String more = parameters.get("regions");
            if (more != null) {
                region = Arrays.stream(more.split(",")).filter(r -> !r.isBlank()).map(String::strip)
                        .findFirst().orElse(region);
            }
        }
        String endpoint = parameters.get("endpoint");
        return new Ec2Settings(region, parameters.get("profile"), parameters.get("roleArn"),
                endpoint == null ? null : URI.create(endpoint), parameters.integer("maxAttempts"));
    }

    /** One set of clients for the build, made on first use; a platform per region asked for. */
    private static final class Session implements PlatformSession {
        private final Ec2Settings settings;
        private Ec2Clients clients;

        Session(Ec2Settings settings) {
            this.settings = settings;
        }

        private Ec2Clients clients() {
            if (clients == null) {
                clients = new Ec2Clients(settings);
            }
            return clients;
        }

        @Override
        public void checkCredentials() {
            clients().checkCredentials();
        }

        @Override
        public Platform platform() {
            return platformAt(settings.region());
        }

        @Override
        public ReleasePlatform releasePlatform() {
            return new Ec2ReleasePlatform(clients(), settings.region());
        }

        @Override
        public Platform platformAt(String region) {
            return new Ec2Platform(clients().client(region), region);
        }

        @Override
        public void close() {
            if (clients != null) {
                clients.close();
            }
        }
    }
}
