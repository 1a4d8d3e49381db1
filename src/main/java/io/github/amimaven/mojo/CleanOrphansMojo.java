package io.github.amimaven.mojo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanSweeper;
import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.platform.ec2.Ec2Settings;

/**
 * Removes what builds left behind when they could not clean up (a killed JVM, a crash, a lost network): instances,
 * key pairs, security groups, unfinished candidate images and their snapshots, tagged by the plugin, and the local
 * platform's VMs of dead builds. It looks in {@code <region>} and every region of {@code regions}, and in the local
 * image store when an image uses the local platform; for this project, or for all with {@code allProjects}.
 *
 * <p>A resource is removed when its build is known on this machine (a record under
 * {@code ~/.ami-maven-plugin/builds}) and has ended, or died (its JVM is gone); a build running here is never
 * touched, nor for 24 h a test instance kept by {@code keepOnFailure} ({@code ami:kept-until}). A build unknown
 * here (another machine's) is judged by its resources' {@code ami:expires} alone. An image
 * is removed only while it is an unfinished candidate: a finished candidate ({@code ami:expires=never}), a
 * verified, failed or released image is never touched. Instances go first (terminated and waited for), then key
 * pairs, security groups (retrying while a terminated instance still holds them), images with their snapshots.
 * Every build and integration-test run does the same for its own project at start ({@code cleanOrphansAtStart}).</p>
 */
@Mojo(name = "clean-orphans", threadSafe = true, configurator = "ami")
public class CleanOrphansMojo extends AbstractAmiMojo {

    /** More EC2 regions to sweep besides {@code <region>}, comma-separated, e.g. {@code us-east-1,eu-west-1}. */
    @Parameter(property = "ami.regions")
    protected String regions;

    /** Sweep the resources of every project, not only this one's. */
    @Parameter(property = "ami.allProjects", defaultValue = "false")
    protected boolean allProjects;

    /** List what would be removed (and what is kept, and why) without removing anything. */
    @Parameter(property = "ami.dryRun", defaultValue = "false")
    protected boolean dryRun;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Set<String> ec2Regions = ec2Regions();
        boolean sweepLocal = configuredPlatforms().contains("local") || "local".equals(platform);
        if (ec2Regions.isEmpty() && !sweepLocal) {
            throw new MojoFailureException("ami:clean-orphans has nowhere to look: set <region> (-Dami.region) or"
                    + " -Dami.regions=us-east-1,eu-west-1, or define a local image");
        }
        String project = allProjects ? null : projectInfo().coordinates();
        getLog().info("ami: " + (dryRun ? "listing" : "removing") + " resources left behind by dead or expired builds of "
                + (project == null ? "all projects" : project) + " in " + String.join(", ", describe(ec2Regions, sweepLocal))
                + (dryRun ? " (dry run: nothing is removed)" : ""));
        OrphanSweeper.Report report;
        try (Platforms platforms = platformsFor(ec2Regions)) {
            if (!ec2Regions.isEmpty()) {
                platforms.checkEc2Credentials();
            }
            List<Platform> locations = new ArrayList<>();
            ec2Regions.forEach(r -> locations.add(platforms.ec2Platform(r)));
            if (sweepLocal) {
                locations.add(platforms.localPlatform());
            }
            report = OrphanSweeper.sweep(locations, new OrphanSweeper.Request(project, dryRun),
                    BuildRegistry.atDefaultLocation(), buildLog());
        } catch (Ec2Clients.Ec2CredentialsException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        getLog().info("ami: " + report.removed().size() + " orphan(s) " + (dryRun ? "would be removed" : "removed") + ", "
                + report.kept().size() + " resource(s) kept (running builds, finished candidates, not yet expired)");
        if (!report.clean()) {
            throw new MojoExecutionException("ami:clean-orphans could not finish:\n  - " + String.join("\n  - ", report.problems()));
        }
    }

    /** {@code <region>} when an image uses EC2 (or none is defined), plus {@code regions}; validated. */
    private Set<String> ec2Regions() throws MojoFailureException {
        Set<String> result = new LinkedHashSet<>();
        Errors errors = new Errors();
        Set<String> used = configuredPlatforms();
        if (region != null && !region.isBlank() && (used.isEmpty() || used.contains("ec2"))) {
            validateEc2(errors);
            result.add(region.strip());
        }
        if (regions != null) {
            for (String r : regions.split(",")) {
                if (!r.isBlank()) {
                    checkRegion("-Dami.regions", r.strip(), errors);
                    result.add(r.strip());
                }
            }
        }
        try {
            errors.throwIfAny();
        } catch (ConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        return result;
    }

    private Platforms platformsFor(Set<String> ec2Regions) {
        if (region != null && !region.isBlank() || ec2Regions.isEmpty()) {
            return platforms();
        }
        // no <region>: the clients' home region (STS for roleArn) is the first one swept
        Ec2Settings s = ec2Settings();
        return platforms(new Ec2Settings(ec2Regions.iterator().next(), s.profile(), s.roleArn(), s.endpoint(), s.maxAttempts()));
    }

    private static List<String> describe(Set<String> ec2Regions, boolean local) {
        List<String> where = new ArrayList<>();
        ec2Regions.forEach(r -> where.add("ec2 " + r));
        if (local) {
            where.add("the local platform");
        }
        return where;
    }
}
