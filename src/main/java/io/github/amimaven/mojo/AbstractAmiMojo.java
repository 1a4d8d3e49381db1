package io.github.amimaven.mojo;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.config.Definitions;
import io.github.amimaven.config.ImageConfig;
import io.github.amimaven.config.LocalConfig;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.log.Secrets;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.MissingCredentialsException;
import io.github.amimaven.platform.PlatformKinds;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;

/**
 * The image definitions every goal reads. Goal-specific settings live in the goals themselves.
 */
public abstract class AbstractAmiMojo extends AbstractMojo {

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
    protected LocalConfig local;

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

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("ami: skipped (ami.skip)");
            return;
        }
        Secrets secrets = Secrets.global();
        MojoSecrets.registerServers(mavenSettings, settingsDecrypter, secrets);
        PlatformKinds.registered().registerEnvironmentSecrets(secrets);
        try (QuietLoggers quiet = QuietLoggers.atInfo(PlatformKinds.registered().loggersPrintingSecrets())) {
            runGoal();
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

    /** The goal, failing as {@link Failures} says when a platform it reaches has no credentials. */
    private void runGoal() throws MojoExecutionException, MojoFailureException {
        try {
            run();
        } catch (MissingCredentialsException e) {
            throw Failures.fault(e.getMessage(), e);
        }
    }

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
            return Definitions.resolve(new Definitions.Request(images, defaults, platform, threads, maxAttempts,
                    resourceLifetime, cleanOrphansAtStart, platformParameters(), projectInfo()));
        } catch (ConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
    }

    /** The platforms of every kind, for this goal's images. */
    protected Platforms platforms() {
        return new Platforms(platformParameters(), buildLog());
    }

    /** The parameters the platform kinds read, by their POM names ({@code <local>}'s children as local.*). */
    protected PlatformParameters platformParameters() {
        PlatformParameters parameters = new PlatformParameters(project.getBasedir().toPath())
                .with("region", region).with("profile", profile).with("roleArn", roleArn).with("endpoint", endpoint)
                .with("maxAttempts", maxAttempts).with("localStore", localStore);
        if (local != null) {
            parameters = parameters.with("local.storeDirectory", local.getStoreDirectory())
                    .with("local.accelerator", local.getAccelerator()).with("local.memory", local.getMemory())
                    .with("local.cpus", local.getCpus());
        }
        return parameters;
    }
}
