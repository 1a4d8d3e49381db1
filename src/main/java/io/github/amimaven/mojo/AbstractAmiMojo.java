package io.github.amimaven.mojo;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanRules;
import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.config.ImageConfig;
import io.github.amimaven.config.ImageDefinitions;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.log.Secrets;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.steps.RunOptions;
import io.github.amimaven.report.Reports;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.platform.ec2.Ec2Settings;
import software.amazon.awssdk.regions.Region;

/**
 * The image definitions every goal reads. Goal-specific settings live in the goals themselves.
 */
public abstract class AbstractAmiMojo extends AbstractMojo {

    /** The shape of every AWS region code, GovCloud and ISO partitions included. */
    private static final java.util.regex.Pattern REGION_CODE =
            java.util.regex.Pattern.compile("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d+");
    static final Duration MIN_LIFETIME = Duration.ofMinutes(10);
    static final Duration MAX_LIFETIME = Duration.ofDays(30);

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    /** AWS region to build in, e.g. {@code ap-southeast-2}. Required for EC2 images. */
    @Parameter(property = "ami.region")
    protected String region;

    /** Named profile of ~/.aws/config and ~/.aws/credentials; default: the SDK's default credential chain. */
    @Parameter(property = "ami.profile")
    protected String profile;

    /** IAM role to assume for all EC2 calls, e.g. {@code arn:aws:iam::123456789012:role/image-builder}. */
    @Parameter(property = "ami.roleArn")
    protected String roleArn;

    /** EC2 endpoint to use instead of AWS's regional one (a VPC endpoint, or a test endpoint). */
    @Parameter(property = "ami.endpoint")
    protected String endpoint;

    /** Default platform for images that do not name one: {@code ec2} or {@code local}. Default ec2. */
    @Parameter(property = "ami.platform")
    protected String platform;

    /**
     * Settings every image inherits unless it sets them itself: the same elements as {@code <image>}. Tags are
     * merged. A parent POM typically sets these in pluginManagement.
     */
    @Parameter
    protected ImageConfig defaults;

    /**
     * The images to build, each an {@code <image>} with a {@code <name>}, a {@code <source>}, an {@code <ssh>}
     * section and {@code <provisioners>}. A child POM adds to a parent's list with
     * {@code <images combine.children="append">}. {@code <os>windows</os>} builds an EC2 Windows image (SSH to
     * Windows' OpenSSH server as Administrator, set up by default user data; {@code <powershell>} steps; EC2Launch v2
     * sysprep before the capture, {@code <windows><sysprep>false</sysprep></windows>} to keep it as provisioned;
     * {@code <windows><getPassword>true</getPassword></windows>} for the Administrator password).
     */
    @Parameter
    protected List<ImageConfig> images;

    /** How many images are built (and tested) at the same time. {@code deploy} copies all images to all regions at once. */
    @Parameter(property = "ami.threads", defaultValue = "4")
    protected int threads;

    /** Attempts per AWS API call (first included) for throttling and transient errors, with backoff and jitter. */
    @Parameter(property = "ami.maxAttempts", defaultValue = "10")
    protected int maxAttempts;

    /** Local (QEMU) platform settings: {@code <storeDirectory>}, {@code <accelerator>}, {@code <memory>}, {@code <cpus>}. */
    @Parameter
    protected io.github.amimaven.config.LocalConfig local;

    /** Local platform image store, overriding {@code <local><storeDirectory>}. */
    @Parameter(property = "ami.localStore")
    protected String localStore;

    /**
     * How long the temporary resources of a build (instances, key pairs, security groups, candidate images being
     * made) live: each is tagged {@code ami:expires} with its creation time plus this. After that any build of the
     * project, and {@code ami:clean-orphans}, may remove it even when it cannot tell whether its build still runs
     * (a build on another machine). Must be longer than your longest build. {@code 90m}, {@code 6h}, {@code 2d}...
     */
    @Parameter(property = "ami.resourceLifetime", defaultValue = "6h")
    protected String resourceLifetime;

    /**
     * Before building or testing, remove what earlier builds of this project left behind in the images' locations
     * (a killed JVM's instances, key pairs, security groups, unfinished candidates): see {@code ami:clean-orphans}
     * for the rules. Costs one Describe call per kind of resource.
     */
    @Parameter(property = "ami.cleanOrphansAtStart", defaultValue = "true")
    protected boolean cleanOrphansAtStart;

    /** Skip all goals of this plugin. */
    @Parameter(property = "ami.skip", defaultValue = "false")
    protected boolean skip;

    /** The build's settings.xml: its servers' passwords are registered as secrets. */
    @Parameter(defaultValue = "${settings}", readonly = true)
    protected Settings mavenSettings;

    @Component
    protected SettingsDecrypter settingsDecrypter;

    private BuildLog buildLog;

    /**
     * The validated configuration a goal works from.
     *
     * @param specs    the images, in the POM's order
     * @param releases what deploy does with each image, by name
     * @param run      how {@code ImageBuilds} runs the goal's pipelines: the resource lifetime, the sweep at start
     */
    protected record Definitions(List<ImageSpec> specs, Map<String, ReleaseSpec> releases, RunOptions run) {
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("ami: skipped (ami.skip)");
            return;
        }
        Secrets secrets = Secrets.global();
        MojoSecrets.registerServers(mavenSettings, settingsDecrypter, secrets);
        Ec2Clients.registerEnvironmentCredentials(secrets);
        try {
            run();
        } catch (MojoFailureException e) {
            throw MojoSecrets.redacted(e, secrets);
        } catch (MojoExecutionException e) {
            throw MojoSecrets.redacted(e, secrets);
        } catch (RuntimeException e) {
            // a redacted RuntimeException is a RuntimeException again
            throw (RuntimeException) secrets.redact(e);
        }
    }

    /** Maven's log, masking every value registered as secret. */
    @Override
    public Log getLog() {
        return new RedactingLog(super.getLog(), Secrets.global());
    }

    /** The goal's work, unless skipped. */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** The candidates the package phase recorded in {@code target/ami/manifest.json}. */
    protected Map<String, Reports.Candidate> candidates() throws MojoExecutionException {
        try {
            return Reports.readCandidates(projectInfo());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read target/ami/manifest.json: " + e.getMessage(), e);
        }
    }

    protected BuildLog buildLog() {
        if (buildLog == null) {
            buildLog = new MavenBuildLog(getLog());
        }
        return buildLog;
    }

    protected ProjectInfo projectInfo() {
        return new ProjectInfo(project.getGroupId(), project.getArtifactId(), project.getVersion(),
                project.getBasedir().toPath(), java.nio.file.Path.of(project.getBuild().getDirectory()));
    }

    /** Validates the whole configuration, before any cloud call, and returns the images to work on. */
    protected Definitions definitions() throws MojoFailureException {
        try {
            Errors errors = new Errors();
            if (threads < 1 || threads > 64) {
                errors.add("<threads>", "is " + threads, "build 1 to 64 images at a time");
            }
            if (maxAttempts < 1 || maxAttempts > 50) {
                errors.add("<maxAttempts>", "is " + maxAttempts, "choose 1 to 50 attempts per call");
            }
            Duration lifetime = Durations.parse(resourceLifetime, "<resourceLifetime>", MIN_LIFETIME, MAX_LIFETIME, errors);
            List<ImageSpec> specs = ImageDefinitions.resolve(images, defaults, platform, projectInfo(), errors);
            Map<String, ReleaseSpec> releases = ImageDefinitions.releases(images, defaults, platform, errors);
            if (configuredPlatforms().contains("ec2")) {
                validateEc2(errors);
            }
            if (local != null) {
                local.validate(errors);
            }
            errors.throwIfAny();
            return new Definitions(specs, releases,
                    new RunOptions(lifetime != null ? lifetime : OrphanRules.DEFAULT_LIFETIME,
                            BuildRegistry.atDefaultLocation(), cleanOrphansAtStart));
        } catch (ConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /** The platforms the configured images use (without validating them): {@code ec2}, {@code local}. */
    protected Set<String> configuredPlatforms() {
        Set<String> used = new LinkedHashSet<>();
        if (images != null) {
            for (ImageConfig i : images) {
                if (i != null) {
                    String own = i.mergedOver(defaults).getPlatform();
                    used.add(own != null ? own : platform != null ? platform : "ec2");
                }
            }
        }
        return used;
    }

    protected void validateEc2(Errors errors) {
        if (region == null || region.isBlank()) {
            errors.add("<region>", "is missing", "set <region>ap-southeast-2</region> (or -Dami.region=…) for EC2 images");
        } else {
            checkRegion("<region>", region, errors);
        }
        if (endpoint != null) {
            try {
                URI uri = new URI(endpoint);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    errors.add("<endpoint>", "'" + endpoint + "' is not an http(s) URL", "write e.g. https://ec2.us-east-1.amazonaws.com");
                }
            } catch (URISyntaxException e) {
                errors.add("<endpoint>", "'" + endpoint + "' is not a URL", "write e.g. https://ec2.us-east-1.amazonaws.com");
            }
        }
        if (roleArn != null && !roleArn.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
            errors.add("<roleArn>", "'" + roleArn + "' is not a role ARN", "write arn:aws:iam::123456789012:role/name");
        }
    }

    /** Adds an error unless {@code value} is a region code (an AWS region, unless a custom endpoint is set). */
    protected void checkRegion(String pomPath, String value, Errors errors) {
        if (!REGION_CODE.matcher(value).matches()) {
            errors.add(pomPath, "'" + value + "' is not a region code", "use a region code such as us-east-1");
        } else if (endpoint == null && !Region.regions().contains(Region.of(value))) {
            errors.add(pomPath, "'" + value + "' is not an AWS region", "use a region code such as us-east-1 or ap-southeast-2");
        }
    }

    protected io.github.amimaven.platform.Platforms platforms() {
        return platforms(ec2Settings());
    }

    protected io.github.amimaven.platform.Platforms platforms(Ec2Settings ec2) {
        var options = io.github.amimaven.platform.local.LocalPlatform.Options.defaults();
        String store = localStore != null ? localStore : local != null ? local.getStoreDirectory() : null;
        if (store != null) {
            options = options.withStoreDir(project.getBasedir().toPath().resolve(store));
        }
        if (local != null && local.getAccelerator() != null) {
            options = options.withAccelerator(local.getAccelerator());
        }
        if (local != null && local.getMemory() != null) {
            options = options.withMemoryMb(local.getMemory());
        }
        if (local != null && local.getCpus() != null) {
            options = options.withCpus(local.getCpus());
        }
        return new io.github.amimaven.platform.Platforms(ec2, options, buildLog());
    }

    protected Ec2Settings ec2Settings() {
        return new Ec2Settings(region, profile, roleArn, endpoint == null ? null : URI.create(endpoint), maxAttempts);
    }
}
