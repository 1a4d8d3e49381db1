package io.github.amimaven.config;

import io.github.amimaven.provision.ProvisionerConfig;
import io.github.amimaven.verify.VerifierConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <image>} (and {@code <defaults>}, which has the same elements and fills in whatever an image leaves
 * unset). Every field is nullable so that "unset" can be told from "set to the default".
 */
public class ImageConfig {

    /** The image's name: used in image names, tags, logs and reports. Letters, digits, '.', '_' and '-'. */
    private String name;

    /** {@code ec2} (default) or {@code local}. */
    private String platform;

    /**
     * The source image's operating system: {@code linux} (default) or {@code windows} (EC2 only: SSH to Windows'
     * OpenSSH server as {@code Administrator}, set up by default user data; {@code <powershell>} steps; reboots in
     * {@code windows-restart} mode; EC2Launch v2 sysprep before the capture).
     */
    private String os;

    /** Settings of Windows images: {@code <sysprep>}, {@code <getPassword>}, {@code <passwordTimeout>}. */
    private WindowsConfig windows;

    /** The image to start from. */
    private SourceConfig source;

    /** EC2 instance type of the builder, e.g. {@code t3.micro}. */
    private String instanceType;

    /**
     * Instead of {@code <instanceType>}: instance types tried in turn while EC2 has no capacity for one
     * ({@code InsufficientInstanceCapacity}) or does not offer it ({@code Unsupported}).
     */
    private List<String> instanceTypes;

    /** Launch the builder and the test instance as spot instances. */
    private SpotConfig spot;

    /** Subnet to launch in; default: the default VPC's. */
    private String subnetId;

    /** Existing security groups to attach; when set, no temporary security group is created. */
    private List<String> securityGroupIds;

    /** IAM instance profile name or ARN for the builder. */
    private String iamInstanceProfile;

    /** Give the builder a public IP (true/false); default: the subnet's setting. */
    private Boolean associatePublicIp;

    /** The builder's root volume. */
    private RootVolumeConfig rootVolume;

    /** Extra EBS volumes attached to the builder (RunInstances block device mappings): {@code <volume>} each. */
    private List<VolumeConfig> launchVolumes;

    /** Block device mappings added to the image when it is captured (CreateImage): {@code <volume>} each. */
    private List<VolumeConfig> imageVolumes;

    /**
     * DescribeSubnets filters choosing the subnet when {@code <subnetId>} is not set; of the matching subnets the one
     * with the most free addresses wins (ties: the lowest id).
     */
    private List<FilterConfig> subnetFilter;

    /** DescribeSecurityGroups filters choosing security groups to attach: all that match, in the subnet's VPC. */
    private List<FilterConfig> securityGroupFilter;

    /** User data passed to the builder, as text. */
    private String userData;

    /** User data read from a file, relative to the project directory. */
    private String userDataFile;

    /** Require IMDSv2 session tokens on the builder. Default true. */
    private Boolean requireImdsV2;

    /** {@code ssh} (default) or {@code none}: no SSH at all, for images built by user data alone. */
    private String communicator;

    /**
     * With {@code <communicator>none</communicator>}: how the build knows the user data is done before it captures
     * the builder: {@code <waitFor>shutdown</waitFor>} (default: the user data powers the machine off) or
     * {@code <waitFor>pause</waitFor>} with a {@code <pause>}.
     */
    private UserDataCompletionConfig userDataCompletion;

    /** How to reach the builder over SSH. */
    private SshConfig ssh;

    /** Provisioners, run in order: {@code <shell>}, {@code <file>}. */
    private List<ProvisionerConfig> provisioners;

    /**
     * Checks run against a test instance booted from the candidate, in order: {@code <inspec>}, {@code <pester>},
     * {@code <serverspec>}, {@code <testinfra>}, {@code <command>}.
     */
    private List<VerifierConfig> verifiers;

    /**
     * Read project files (scripts, uploads, playbooks, test files, user data) whose real path, symlinks followed,
     * is outside the project directory. Default false: such a file is refused.
     */
    private Boolean allowFilesOutsideProject;

    /** Accept an image with no checks at all (it is then tagged {@code ami:verified=false}). Default false. */
    private Boolean allowUntested;

    /** Tags put on the image and its snapshots. */
    private Map<String, String> tags;

    /**
     * Tags put at creation on every temporary resource (Packer's {@code run_tags}): the builder and test instance,
     * their volumes and network interfaces, the key pair and the security group; besides the plugin's own.
     */
    private Map<String, String> runTags;

    /**
     * Image name template. Tokens: {@code {name}}, {@code {version}}, {@code {timestamp}} (UTC yyyyMMdd-HHmmss),
     * {@code {date}}, {@code {time}}, {@code {buildId}}. Default {@code {name}-{timestamp}}.
     */
    private String imageName;

    /** Image description. */
    private String description;

    /** Timeouts per kind of wait. */
    private TimeoutsConfig timeouts;

    /** What the deploy phase does: promotion, region copies, sharing, SSM parameters, launch templates, retention. */
    private DeployConfig deploy;

    public String getName() { return name; }
    public String getPlatform() { return platform; }
    public String getOs() { return os; }
    public WindowsConfig getWindows() { return windows; }
    public SourceConfig getSource() { return source; }
    public String getInstanceType() { return instanceType; }
    public List<String> getInstanceTypes() { return instanceTypes; }
    public SpotConfig getSpot() { return spot; }
    public String getSubnetId() { return subnetId; }
    public List<String> getSecurityGroupIds() { return securityGroupIds; }
    public String getIamInstanceProfile() { return iamInstanceProfile; }
    public Boolean getAssociatePublicIp() { return associatePublicIp; }
    public RootVolumeConfig getRootVolume() { return rootVolume; }
    public List<VolumeConfig> getLaunchVolumes() { return launchVolumes; }
    public List<VolumeConfig> getImageVolumes() { return imageVolumes; }
    public List<FilterConfig> getSubnetFilter() { return subnetFilter; }
    public List<FilterConfig> getSecurityGroupFilter() { return securityGroupFilter; }
    public Map<String, String> getRunTags() { return runTags; }
    public String getUserData() { return userData; }
    public String getUserDataFile() { return userDataFile; }
    public Boolean getRequireImdsV2() { return requireImdsV2; }
    public String getCommunicator() { return communicator; }
    public UserDataCompletionConfig getUserDataCompletion() { return userDataCompletion; }
    public SshConfig getSsh() { return ssh; }
    public List<ProvisionerConfig> getProvisioners() { return provisioners; }
    public Map<String, String> getTags() { return tags; }
    public List<VerifierConfig> getVerifiers() { return verifiers; }
    public Boolean getAllowUntested() { return allowUntested; }
    public Boolean getAllowFilesOutsideProject() { return allowFilesOutsideProject; }
    public String getImageName() { return imageName; }
    public String getDescription() { return description; }
    public TimeoutsConfig getTimeouts() { return timeouts; }
    public DeployConfig getDeploy() { return deploy; }

    public ImageConfig name(String v) { name = v; return this; }
    public ImageConfig platform(String v) { platform = v; return this; }
    public ImageConfig os(String v) { os = v; return this; }
    public ImageConfig windows(WindowsConfig v) { windows = v; return this; }
    public ImageConfig source(SourceConfig v) { source = v; return this; }
    public ImageConfig instanceType(String v) { instanceType = v; return this; }
    public ImageConfig instanceTypes(List<String> v) { instanceTypes = v; return this; }
    public ImageConfig spot(SpotConfig v) { spot = v; return this; }
    public ImageConfig communicator(String v) { communicator = v; return this; }
    public ImageConfig userDataCompletion(UserDataCompletionConfig v) { userDataCompletion = v; return this; }
    public ImageConfig timeouts(TimeoutsConfig v) { timeouts = v; return this; }
    public ImageConfig ssh(SshConfig v) { ssh = v; return this; }
    public ImageConfig provisioners(List<ProvisionerConfig> v) { provisioners = v; return this; }
    public ImageConfig tags(Map<String, String> v) { tags = v; return this; }
    public ImageConfig imageName(String v) { imageName = v; return this; }
    public ImageConfig userData(String v) { userData = v; return this; }
    public ImageConfig deploy(DeployConfig v) { deploy = v; return this; }

    /** This image with every unset field taken from {@code defaults}; tags and run tags are merged, the image's winning. */
    public ImageConfig mergedOver(ImageConfig defaults) {
        if (defaults == null) {
            return this;
        }
        ImageConfig m = new ImageConfig();
        m.name = name;
        m.platform = pick(platform, defaults.platform);
        m.os = pick(os, defaults.os);
        m.windows = windows == null ? defaults.windows : windows.mergedOver(defaults.windows);
        m.source = pick(source, defaults.source);
        // an image's own <instanceType> or <instanceTypes> replaces both of <defaults>: together they are refused
        boolean ownTypes = instanceType != null || instanceTypes != null;
        m.instanceType = ownTypes ? instanceType : defaults.instanceType;
        m.instanceTypes = ownTypes ? instanceTypes : defaults.instanceTypes;
        m.spot = pick(spot, defaults.spot);
        m.subnetId = pick(subnetId, defaults.subnetId);
        m.securityGroupIds = pick(securityGroupIds, defaults.securityGroupIds);
        m.iamInstanceProfile = pick(iamInstanceProfile, defaults.iamInstanceProfile);
        m.associatePublicIp = pick(associatePublicIp, defaults.associatePublicIp);
        m.rootVolume = pick(rootVolume, defaults.rootVolume);
        m.launchVolumes = pick(launchVolumes, defaults.launchVolumes);
        m.imageVolumes = pick(imageVolumes, defaults.imageVolumes);
        m.subnetFilter = pick(subnetFilter, defaults.subnetFilter);
        m.securityGroupFilter = pick(securityGroupFilter, defaults.securityGroupFilter);
        m.userData = pick(userData, defaults.userData);
        m.userDataFile = pick(userDataFile, defaults.userDataFile);
        m.requireImdsV2 = pick(requireImdsV2, defaults.requireImdsV2);
        m.communicator = pick(communicator, defaults.communicator);
        // a whole block: an image's own <waitFor>shutdown</waitFor> must not inherit a <pause> it could not unset
        m.userDataCompletion = pick(userDataCompletion, defaults.userDataCompletion);
        m.ssh = ssh == null ? defaults.ssh : ssh.mergedOver(defaults.ssh);
        m.provisioners = pick(provisioners, defaults.provisioners);
        m.verifiers = pick(verifiers, defaults.verifiers);
        m.allowUntested = pick(allowUntested, defaults.allowUntested);
        m.allowFilesOutsideProject = pick(allowFilesOutsideProject, defaults.allowFilesOutsideProject);
        m.tags = merged(tags, defaults.tags);
        m.runTags = merged(runTags, defaults.runTags);
        m.imageName = pick(imageName, defaults.imageName);
        m.description = pick(description, defaults.description);
        m.timeouts = timeouts == null ? defaults.timeouts : timeouts.mergedOver(defaults.timeouts);
        m.deploy = deploy == null ? defaults.deploy : deploy.mergedOver(defaults.deploy);
        return m;
    }

    private static Map<String, String> merged(Map<String, String> own, Map<String, String> fallback) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (fallback != null) {
            merged.putAll(fallback);
        }
        if (own != null) {
            merged.putAll(own);
        }
        return merged;
    }

    private static <T> T pick(T own, T fallback) {
        return own != null ? own : fallback;
    }
}
