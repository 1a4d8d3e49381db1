package io.github.amimaven.config;

import io.github.amimaven.provision.ProvisionerConfig;
import io.github.amimaven.provision.Reboot;
import io.github.amimaven.provision.Shell;
import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifierConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.Volume;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SpotOptions;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.model.WindowsOptions;
import io.github.amimaven.platform.ImageSettings;
import io.github.amimaven.platform.PlatformKind;
import io.github.amimaven.platform.PlatformKinds;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.report.Reports;
import io.github.amimaven.steps.WindowsScripts;
import io.github.amimaven.provision.Provisioner;

/**
 * Turns the POM's {@code <defaults>} and {@code <images>} into validated {@link ImageSpec}s, reporting every
 * problem at once with the POM path of its field. Nothing here calls a cloud.
 */
public final class ImageDefinitions {

    private static final PlatformKinds KINDS = PlatformKinds.registered();
    public static final Set<String> PLATFORMS = KINDS.ids();
    public static final Set<String> OPERATING_SYSTEMS = Set.of("linux", "windows");
    private static final int MAX_DESCRIPTION = 255;
    /** EC2 allows 50 tags per resource; the plugin puts up to 10 ami:* tags (and Name) next to the user's. */
    static final int MAX_USER_TAGS = 40;
    /** EC2's characters for tag keys and values: letters, digits, spaces and {@code + - = . _ : / @}. */
    private static final java.util.regex.Pattern TAG_TEXT = java.util.regex.Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final java.util.regex.Pattern LOGIN = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}");
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");
    private static final int MAX_ALLOWED_CIDRS = 50;

    private ImageDefinitions() {
    }

    /** Resolves, or throws a {@link ConfigurationException} listing every problem. */
    public static List<ImageSpec> resolve(List<ImageConfig> images, ImageConfig defaults, String defaultPlatform,
            ProjectInfo project) {
        Errors errors = new Errors();
        List<ImageSpec> specs = resolve(images, defaults, defaultPlatform, project, errors);
        errors.throwIfAny();
        return specs;
    }

    /** Resolves what it can and adds every problem to {@code errors}. */
    public static List<ImageSpec> resolve(List<ImageConfig> images, ImageConfig defaults, String defaultPlatform,
            ProjectInfo project, Errors errors) {
        if (defaultPlatform != null && !PLATFORMS.contains(defaultPlatform)) {
            errors.add("<platform>", "'" + defaultPlatform + "' is unknown", "use one of " + PLATFORMS);
        }
        if (images == null || images.isEmpty()) {
            errors.add("<images>", "is empty", "define at least one <image> with a <name> and a <source>");
            return List.of();
        }
        List<ImageSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, String> namesByEnvKey = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            ImageConfig raw = images.get(i);
            String at = "<images>/<image>[" + (i + 1) + "]";
            if (raw == null) {
                errors.add(at, "is empty", "give it a <name> and a <source>");
                continue;
            }
            if (raw.getName() != null) {
                at = "<images>/<image name=" + raw.getName() + ">";
                String envKey = "IMAGE_ID_" + Reports.envName(raw.getName());
                String sameKey = namesByEnvKey.putIfAbsent(envKey, raw.getName());
                if (!names.add(raw.getName())) {
                    errors.add(at + "/<name>", "'" + raw.getName() + "' is used by two images",
                            "give every image its own name");
                } else if (sameKey != null) {
                    errors.add(at + "/<name>", "'" + raw.getName() + "' and '" + sameKey + "' have the same key " + envKey
                            + " in target/ami/env.properties", "rename one of them: names that differ only in case or"
                                    + " in '.', '_' and '-' make the same key");
                }
            }
            ImageSpec spec = resolveOne(raw.mergedOver(defaults), raw.getWindows() != null,
                    raw.getUserDataCompletion() != null, defaultPlatform, project, at, errors);
            if (spec != null) {
                specs.add(spec);
            }
        }
        return specs;
    }

    /**
     * What the deploy phase does with each image (by image name), validated like the rest: the POM path of every
     * problem is added to {@code errors}. Images without {@code <deploy>} are promoted in place.
     *
     * @param parameters the goal's parameters, against which each platform kind checks where its releases go
     */
    public static Map<String, ReleaseSpec> releases(List<ImageConfig> images, ImageConfig defaults,
            String defaultPlatform, PlatformParameters parameters, Errors errors) {
        Map<String, ReleaseSpec> out = new LinkedHashMap<>();
        if (images == null) {
            return out;
        }
        for (int i = 0; i < images.size(); i++) {
            ImageConfig raw = images.get(i);
            if (raw == null) {
                continue;
            }
            String at = raw.getName() != null ? "<images>/<image name=" + raw.getName() + ">" : "<images>/<image>[" + (i + 1) + "]";
            ImageConfig c = raw.mergedOver(defaults);
            PlatformKind kind = KINDS.find(platformOf(c, defaultPlatform)).orElse(null);
            ReleaseSpec release = DeployConfig.resolve(c.getDeploy(), kind, c.getName(), at + "/<deploy>", errors);
            if (release != null && kind != null) {
                kind.checkReleaseTargets(release, parameters, at + "/<deploy>", errors);
            }
            if (release != null && c.getName() != null) {
                out.put(c.getName(), release);
            }
        }
        return out;
    }

    /**
     * The ids of the platforms the images are built on, without checking the images: an image's own
     * {@code <platform>}, else the build's, else the default one.
     */
    public static Set<String> platformsUsed(List<ImageConfig> images, ImageConfig defaults, String defaultPlatform) {
        Set<String> used = new LinkedHashSet<>();
        if (images != null) {
            for (ImageConfig image : images) {
                if (image != null) {
                    used.add(platformOf(image.mergedOver(defaults), defaultPlatform));
                }
            }
        }
        return used;
    }

    private static String platformOf(ImageConfig merged, String defaultPlatform) {
        return merged.getPlatform() != null ? merged.getPlatform()
                : defaultPlatform != null ? defaultPlatform : KINDS.defaultKind().id();
    }

    /**
     * @param ownWindows the image itself (not only its defaults) has a {@code <windows>} block
     * @param ownCompletion the image itself has a {@code <userDataCompletion>} block
     */
    private static ImageSpec resolveOne(ImageConfig c, boolean ownWindows, boolean ownCompletion, String defaultPlatform,
            ProjectInfo project, String at, Errors errors) {
        int before = errors.messages().size();
        Path basedir = project.basedir();
        ProjectFiles files = new ProjectFiles(basedir, Boolean.TRUE.equals(c.getAllowFilesOutsideProject()));
        if (c.getName() == null || c.getName().isBlank()) {
            errors.add(at + "/<name>", "is missing", "name the image, e.g. <name>centos7-secure</name>");
        } else if (!c.getName().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            errors.add(at + "/<name>", "'" + c.getName() + "' is not a valid image name",
                    "use up to 64 letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        String platform = platformOf(c, defaultPlatform);
        PlatformKind kind = KINDS.find(platform).orElse(null);
        if (kind == null) {
            errors.add(at + "/<platform>", "'" + platform + "' is unknown", "use one of " + PLATFORMS);
        }
        String os = c.getOs() == null ? "linux" : c.getOs().trim();
        boolean windows = "windows".equals(os);
        if (!OPERATING_SYSTEMS.contains(os)) {
            errors.add(at + "/<os>", "'" + c.getOs() + "' is unknown", "use linux or windows");
        }
        if (!windows && ownWindows) {
            errors.add(at + "/<windows>", "is set but <os> is " + os, "set <os>windows</os>, or remove <windows>");
        }
        if (c.getSource() == null) {
            errors.add(at + "/<source>", "is missing",
                    "set <source><id>ami-…</id></source> or <source><owners>…</owners><name>pattern*</name></source>");
        } else {
            c.getSource().validate(at + "/<source>", kind, errors);
        }

        String communicator = c.getCommunicator() == null ? "ssh" : c.getCommunicator();
        if (!Set.of("ssh", "none").contains(communicator)) {
            errors.add(at + "/<communicator>", "'" + communicator + "' is unknown", "use ssh or none");
        }
        boolean ssh = "ssh".equals(communicator);
        List<ProvisionerConfig> provisionerConfigs = c.getProvisioners() == null ? List.of() : c.getProvisioners();
        if (!ssh && !provisionerConfigs.isEmpty()) {
            errors.add(at + "/<provisioners>", "needs SSH but <communicator> is none",
                    "remove the provisioners, or set <communicator>ssh</communicator>");
        }
        List<Provisioner> provisioners = ProvisionerConfig.provisioners(provisionerConfigs, files, at + "/<provisioners>",
                windows, errors);
        List<VerifierConfig> verifierConfigs = c.getVerifiers() == null ? List.of() : c.getVerifiers();
        if (!ssh && !verifierConfigs.isEmpty()) {
            errors.add(at + "/<verifiers>", "need SSH but <communicator> is none",
                    "remove the verifiers, or set <communicator>ssh</communicator>");
        }
        List<Verifier> verifiers = VerifierConfig.verifiers(verifierConfigs, files,
                at + "/<verifiers>", errors);
        SshAccess access = ssh ? sshAccess(c.getSsh(), windows, basedir, at + "/<ssh>", errors) : null;
        LaunchOptions launch = launchOptions(c, kind, files, at, errors);
        if (kind != null) {
            kind.checkImage(new ImageSettings(windows, launch, access), at, errors);
        }
        WindowsOptions windowsOptions = windows ? windowsOptions(c.getWindows(), ssh, at + "/<windows>", errors) : null;
        if (windows && access != null && launch.userData() == null) {
            launch = launch.withUserData(WindowsScripts.defaultUserData(access.port()));
        }
        Map<String, String> tags = tags(c.getTags(), at + "/<tags>", errors);

        String template = c.getImageName() == null ? ImageNamer.DEFAULT_TEMPLATE : c.getImageName();
        String candidateTemplate = DeployConfig.promotesByCopy(c.getDeploy()) ? ImageNamer.candidateTemplate(template) : template;
        if (c.getName() != null) {
            String problem = ImageNamer.problem(candidateTemplate, c.getName(), project.version());
            if (problem != null) {
                errors.add(at + "/<imageName>", "'" + template + "' " + problem,
                        "use tokens such as {name}-{version}-{timestamp}");
            }
        }
        Timeouts timeouts = timeouts(c, access, at, errors);
        if (access != null && !access.timeout().equals(timeouts.ssh())) {
            access = access.withTimeout(timeouts.ssh());
        }
        UserDataCompletion completion = null;
        if (!ssh) {
            completion = userDataCompletion(c.getUserDataCompletion(), launch.userData() != null, timeouts, at, errors);
        } else if (ownCompletion) {
            errors.add(at + "/<userDataCompletion>", "is set but <communicator> is ssh, whose builder the build stops itself"
                    + " once the provisioners are done", "remove it, or set <communicator>none</communicator>");
        }
        if (launch.spot() != null) {
            refuseShutdownOnSpot(completion, windowsOptions, at, errors);
        }
        if (c.getDescription() != null && c.getDescription().length() > MAX_DESCRIPTION) {
            errors.add(at + "/<description>", "has " + c.getDescription().length() + " characters",
                    "EC2 takes at most " + MAX_DESCRIPTION + ": shorten it");
        }

        if (errors.messages().size() > before) {
            return null;
        }
        return new ImageSpec(c.getName(), platform, c.getSource().toSpec(basedir), launch, access, provisioners, tags,
                candidateTemplate, c.getDescription(), timeouts, verifiers, Boolean.TRUE.equals(c.getAllowUntested()),
                windowsOptions, completion);
    }

    /**
     * A one-time spot instance ends, rather than stops, when its operating system shuts it down: a build that waits
     * for the builder to power itself off would lose it.
     */
    private static void refuseShutdownOnSpot(UserDataCompletion completion, WindowsOptions windows, String at, Errors errors) {
        if (completion != null && completion.waitsForShutdown()) {
            errors.add(at + "/<spot>", "cannot be used with <communicator>none</communicator> waiting for the user data to"
                    + " power the builder off, since a spot builder ends when it shuts down", "set <userDataCompletion>"
                    + "<waitFor>pause</waitFor><pause>…</pause></userDataCompletion>, or remove <spot>");
        }
        if (windows != null && windows.sysprep()) {
            errors.add(at + "/<spot>", "cannot be used with Windows sysprep, which ends with a shutdown that ends a spot"
                    + " builder", "set <windows><sysprep>false</sysprep></windows>, or remove <spot>");
        }
    }

    /**
     * The builder of an image without SSH is captured only once its user data is done: by default when the user data
     * has powered it off, which needs user data that does; or after a pause that fits in {@code <timeouts><instance>}.
     */
    private static UserDataCompletion userDataCompletion(UserDataCompletionConfig config, boolean hasUserData,
            Timeouts timeouts, String at, Errors errors) {
        UserDataCompletionConfig u = config == null ? new UserDataCompletionConfig() : config;
        String p = at + "/<userDataCompletion>/";
        String waitFor = u.getWaitFor() == null ? "shutdown" : u.getWaitFor().trim();
        if (!Set.of("shutdown", "pause").contains(waitFor)) {
            errors.add(p + "<waitFor>", "'" + u.getWaitFor() + "' is unknown",
                    "use shutdown (the user data powers the builder off) or pause (wait <pause>, then stop it)");
            return null;
        }
        if (waitFor.equals("shutdown")) {
            if (u.getPause() != null) {
                errors.add(p + "<pause>", "is set but <waitFor> is shutdown, which waits for the builder to power itself off",
                        "set <waitFor>pause</waitFor>, or remove <pause>");
            }
            if (!hasUserData) {
                errors.add(at + "/<userData>", "is missing, and with <communicator>none</communicator> the builder is"
                        + " captured once its user data has powered it off", "give <userData> or <userDataFile> that ends"
                        + " by powering the machine off (shutdown -h now; cloud-config power_state: {mode: poweroff})");
            }
            return UserDataCompletion.SHUTDOWN;
        }
        if (u.getPause() == null) {
            errors.add(p + "<pause>", "is missing", "say how long the user data needs once the builder runs, e.g. <pause>3m</pause>");
            return null;
        }
        Duration pause = Durations.parse(u.getPause(), p + "<pause>", Duration.ofSeconds(1), Duration.ofHours(24), errors);
        if (pause == null) {
            return null;
        }
        if (pause.compareTo(timeouts.instance()) > 0) {
            errors.add(p + "<pause>", "'" + u.getPause() + "' is longer than <timeouts><instance> ("
                    + Durations.format(timeouts.instance()) + "), which bounds every wait for the builder",
                    "shorten the pause, or raise <timeouts><instance>");
            return null;
        }
        return UserDataCompletion.pauseFor(pause);
    }

    private static WindowsOptions windowsOptions(WindowsConfig config, boolean ssh, String at, Errors errors) {
        WindowsConfig w = config == null ? new WindowsConfig() : config;
        boolean sysprep = w.getSysprep() == null ? ssh : w.getSysprep();
        if (sysprep && !ssh) {
            errors.add(at + "/<sysprep>", "needs SSH but <communicator> is none",
                    "remove <sysprep>, or set <communicator>ssh</communicator>");
        }
        boolean getPassword = Boolean.TRUE.equals(w.getGetPassword());
        if (getPassword && !ssh) {
            errors.add(at + "/<getPassword>", "needs the build's key pair, which <communicator>none</communicator> does not make",
                    "remove <getPassword>, or set <communicator>ssh</communicator>");
        }
        Duration passwordTimeout = Durations.parse(w.getPasswordTimeout(), at + "/<passwordTimeout>",
                Duration.ofSeconds(10), Duration.ofHours(2), errors);
        return new WindowsOptions(sysprep, getPassword, passwordTimeout);
    }

    /** One timeout per kind of wait, each bounded: 0, negative and absurd values are refused. */
    private static Timeouts timeouts(ImageConfig c, SshAccess access, String at, Errors errors) {
        TimeoutsConfig t = c.getTimeouts() == null ? new TimeoutsConfig() : c.getTimeouts();
        String p = at + "/<timeouts>/";
        Duration instance = Durations.parse(t.getInstance(), p + "<instance>", Duration.ofSeconds(10), Duration.ofHours(24), errors);
        Duration image = Durations.parse(t.getImage(), p + "<image>", Duration.ofSeconds(10), Duration.ofHours(24), errors);
        Duration ssh = Durations.parse(t.getSsh(), p + "<ssh>", Duration.ofSeconds(5), Duration.ofHours(2), errors);
        Duration copy = Durations.parse(t.getCopy(), p + "<copy>", Duration.ofMinutes(1), Duration.ofHours(48), errors);
        Duration test = Durations.parse(t.getTest(), p + "<test>", Duration.ofSeconds(10), Duration.ofHours(24), errors);
        if (t.getSsh() != null && c.getSsh() != null && c.getSsh().getTimeout() != null) {
            errors.add(p + "<ssh>", "is set together with <ssh>/<timeout>", "keep one of them");
        }
        Duration sshTimeout = ssh != null ? ssh : access != null ? access.timeout() : Timeouts.DEFAULT_SSH;
        return new Timeouts(instance == null ? Timeouts.DEFAULT_INSTANCE : instance,
                image == null ? Timeouts.DEFAULT_IMAGE : image, sshTimeout,
                copy == null ? Timeouts.DEFAULT_COPY : copy, test == null ? Timeouts.DEFAULT_TEST : test);
    }

    /** The launch settings as the user set them, {@code <instanceType>} defaulted by the image's platform kind. */
    private static LaunchOptions launchOptions(ImageConfig c, PlatformKind kind, ProjectFiles files, String at, Errors errors) {
        List<String> instanceTypes = c.getInstanceTypes();
        if (instanceTypes != null && c.getInstanceType() != null) {
            errors.add(at + "/<instanceTypes>", "is set together with <instanceType>",
                    "keep one of them: <instanceTypes> lists the types tried in turn, <instanceType> is the only one");
        } else if (instanceTypes != null && instanceTypes.isEmpty()) {
            errors.add(at + "/<instanceTypes>", "is empty", "list instance types to try in turn, e.g. <instanceTypes>"
                    + "<instanceType>c7i.large</instanceType><instanceType>c6i.large</instanceType></instanceTypes>");
        }
        String instanceType = c.getInstanceType() == null && instanceTypes == null && kind != null
                ? kind.defaultMachineType() : c.getInstanceType();
        SpotConfig spotConfig = c.getSpot();
        SpotOptions spot = spotConfig == null ? null
                : new SpotOptions(spotConfig.getMaxPrice() == null ? null : spotConfig.getMaxPrice().strip(),
                        Boolean.TRUE.equals(spotConfig.getFallbackToOnDemand()));
        RootVolumeConfig root = c.getRootVolume() == null ? new RootVolumeConfig() : c.getRootVolume();
        Integer size = root.getSize();
        if (size != null && (size < 1 || size > 16384)) {
            errors.add(at + "/<rootVolume>/<size>", "is " + size, "give a size in GiB from 1 to 16384");
        }
        String userData = c.getUserData();
        if (c.getUserDataFile() != null) {
            if (userData != null) {
                errors.add(at + "/<userDataFile>", "is set together with <userData>", "keep one of them");
            }
            Path file = files.file(c.getUserDataFile(), at + "/<userDataFile>", errors);
            try {
                if (file != null) {
                    byte[] content = Files.readAllBytes(file);
                    String notText = ProjectFiles.notText(content);
                    if (notText != null) {
                        errors.add(at + "/<userDataFile>", "'" + c.getUserDataFile() + "' " + notText,
                                "save it as UTF-8 text");
                    } else {
                        userData = new String(content, StandardCharsets.UTF_8);
                    }
                }
            } catch (IOException e) {
                errors.add(at + "/<userDataFile>", "'" + c.getUserDataFile() + "' cannot be read (" + file + ")",
                        "check the path; it is relative to the project directory");
            }
        }
        VolumeConfig.checkEncryption(root.getEncrypted(), root.getKmsKeyId(), at + "/<rootVolume>", errors);
        VolumeConfig.validate(c.getLaunchVolumes(), at + "/<launchVolumes>", false, errors);
        VolumeConfig.validate(c.getImageVolumes(), at + "/<imageVolumes>", true, errors);
        if (c.getSubnetId() != null && c.getSubnetFilter() != null && !c.getSubnetFilter().isEmpty()) {
            errors.add(at + "/<subnetFilter>", "is set together with <subnetId>",
                    "keep one of them; if <defaults> sets the other, set it on the images that use it instead");
        }
        FilterConfig.validate(c.getSubnetFilter(), at + "/<subnetFilter>", errors);
        FilterConfig.validate(c.getSecurityGroupFilter(), at + "/<securityGroupFilter>", errors);
        return new LaunchOptions(instanceType, c.getSubnetId(), c.getSecurityGroupIds(), c.getIamInstanceProfile(),
                size, root.getType(), userData, c.getRequireImdsV2() == null || c.getRequireImdsV2(),
                c.getAssociatePublicIp(), instanceTypes, spot, root.getIops(), root.getThroughput(),
                Boolean.TRUE.equals(root.getEncrypted()) || root.getKmsKeyId() != null,
                root.getKmsKeyId(), volumes(c.getLaunchVolumes()), volumes(c.getImageVolumes()),
                FilterConfig.asMap(c.getSubnetFilter()), FilterConfig.asMap(c.getSecurityGroupFilter()),
                tags(c.getRunTags(), at + "/<runTags>", errors));
    }

    private static List<Volume> volumes(List<VolumeConfig> volumes) {
        return volumes == null ? List.of() : volumes.stream().map(VolumeConfig::toVolume).toList();
    }

    private static SshAccess sshAccess(SshConfig s, boolean windows, Path basedir, String at, Errors errors) {
        if (s == null) {
            s = new SshConfig();
        }
        String user = s.getUser() == null && windows ? WindowsScripts.ADMINISTRATOR : s.getUser();
        if (user == null || user.isBlank()) {
            errors.add(at + "/<user>", "is missing", "name the source image's login user, e.g. <ssh><user>ec2-user</user></ssh>");
            return null;
        }
        if (!LOGIN.matcher(user).matches()) {
            errors.add(at + "/<user>", "'" + user + "' is not a login name",
                    "use the image's login user, e.g. ec2-user, ubuntu or Administrator");
        }
        int port = s.getPort() == null ? 22 : s.getPort();
        if (port < 1 || port > 65535) {
            errors.add(at + "/<port>", "is " + port, "use a port from 1 to 65535");
        }
        SshAccess.AddressType address = SshAccess.AddressType.AUTO;
        if (s.getAddress() != null) {
            try {
                address = SshAccess.AddressType.fromPom(s.getAddress());
            } catch (IllegalArgumentException e) {
                errors.add(at + "/<address>", "'" + s.getAddress() + "' is unknown",
                        "use public-ip, private-ip, public-dns or private-dns");
            }
        }
        Duration timeout = Durations.parse(s.getTimeout(), at + "/<timeout>", Duration.ofSeconds(5), Duration.ofHours(2), errors);
        Path key = null;
        if (s.getKeyPairName() != null || s.getPrivateKeyFile() != null) {
            if (s.getKeyPairName() == null || s.getPrivateKeyFile() == null) {
                errors.add(at, "has only one of <keyPairName> and <privateKeyFile>",
                        "set both to use an existing key pair, or neither for a temporary one");
            } else {
                key = readableFile(basedir, s.getPrivateKeyFile(), at + "/<privateKeyFile>", errors);
            }
        }
        List<String> cidrs = s.getAllowedCidrs() == null ? List.of() : s.getAllowedCidrs();
        for (String cidr : cidrs) {
            if (!Cidrs.isValid(cidr.trim())) {
                errors.add(at + "/<allowedCidrs>", "'" + cidr + "' is not a CIDR", "write e.g. 203.0.113.7/32");
            }
        }
        if (cidrs.size() > MAX_ALLOWED_CIDRS) {
            errors.add(at + "/<allowedCidrs>", "has " + cidrs.size() + " CIDRs", "a security group takes at most "
                    + MAX_ALLOWED_CIDRS + " here: use wider ranges, or attach your own <securityGroupIds>");
        }
        SshAccess.Bastion bastion = null;
        BastionConfig b = s.getBastion();
        if (b != null) {
            if (b.getHost() == null || b.getUser() == null) {
                errors.add(at + "/<bastion>", "needs <host> and <user>", "set both, e.g. <host>bastion.example.com</host><user>ec2-user</user>");
            }
            if (b.getHost() != null && !HOST.matcher(b.getHost()).matches()) {
                errors.add(at + "/<bastion>/<host>", "'" + b.getHost() + "' is not a host name or address",
                        "write e.g. bastion.example.com or 203.0.113.10");
            }
            if (b.getUser() != null && !LOGIN.matcher(b.getUser()).matches()) {
                errors.add(at + "/<bastion>/<user>", "'" + b.getUser() + "' is not a login name", "write e.g. ec2-user");
            }
            if (b.getPort() != null && (b.getPort() < 1 || b.getPort() > 65535)) {
                errors.add(at + "/<bastion>/<port>", "is " + b.getPort(), "use a port from 1 to 65535");
            }
            Path bastionKey = b.getPrivateKeyFile() == null ? null
                    : readableFile(basedir, b.getPrivateKeyFile(), at + "/<bastion>/<privateKeyFile>", errors);
            bastion = new SshAccess.Bastion(b.getHost(), b.getPort() == null ? 22 : b.getPort(), b.getUser(), bastionKey);
        }
        boolean strict = Boolean.TRUE.equals(s.getStrictHostKeys());
        Duration defaultTimeout = windows ? WindowsOptions.DEFAULT_SSH_TIMEOUT : Timeouts.DEFAULT_SSH;
        return new SshAccess(user, port, address, timeout == null ? defaultTimeout : timeout,
                s.getKeyPairName(), key, cidrs.stream().map(String::trim).toList(), bastion, strict);
    }

    private static Path readableFile(Path basedir, String file, String at, Errors errors) {
        Path p = ProjectFiles.resolve(basedir, file, at, errors);
        if (p == null) {
            return null;
        }
        if (!Files.isReadable(p) || Files.isDirectory(p)) {
            errors.add(at, "'" + file + "' cannot be read (" + p + ")", "check the path; it is relative to the project directory");
        }
        return p;
    }

    private static Map<String, String> tags(Map<String, String> tags, String at, Errors errors) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        if (tags.size() > MAX_USER_TAGS) {
            errors.add(at, "has " + tags.size() + " tags", "keep " + MAX_USER_TAGS + " or fewer: EC2 allows 50 per"
                    + " resource and the plugin adds up to 10 of its own");
        }
        tags.forEach((k, v) -> {
            String value = v == null ? "" : v;
            if (k.isBlank() || !TAG_TEXT.matcher(k).matches()) {
                errors.add(at + "/<" + k + ">", "is not a valid tag key", "use letters, digits, spaces and + - = . _ : / @");
            } else if (!TAG_TEXT.matcher(value).matches()) {
                errors.add(at + "/<" + k + ">", "has a value with characters EC2 does not take",
                        "use letters, digits, spaces and + - = . _ : / @");
            } else if (k.length() > 128 || k.toLowerCase(java.util.Locale.ROOT).startsWith("aws:")) {
                errors.add(at + "/<" + k + ">", "is not a valid tag key", "use at most 128 characters, not starting with aws:");
            } else if (k.startsWith("ami:")) {
                errors.add(at + "/<" + k + ">", "uses the plugin's reserved prefix ami:", "choose another key");
            } else if (value.length() > 256) {
                errors.add(at + "/<" + k + ">", "has a value longer than 256 characters", "shorten it");
            }
            out.put(k, value);
        });
        return out;
    }
}
