package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanSweeper;
import io.github.amimaven.cleanup.WorkDirectories;
import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.config.ImageDefinitions;
import io.github.amimaven.platform.OrphanLocation;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.platform.Platforms;

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
 *
 * <p>It also deletes this project's {@code target/ami-work/} directories of builds whose JVM is gone (their keys
 * and variable files), as every build does before it starts.</p>
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
        String project = allProjects ? null : projectInfo().coordinates();
        removeStaleWorkDirectories();
        OrphanSweeper.Report report;
        try (Platforms platforms = platforms()) {
            Errors errors = new Errors();
            List<OrphanLocation> locations = platforms.orphanLocations(
                    ImageDefinitions.platformsUsed(images, defaults, platform), platform, errors);
            errors.throwIfAny();
            if (locations.isEmpty()) {
                throw new MojoFailureException("ami:clean-orphans has nowhere to look: " + platforms.orphanLocationHints());
            }
            getLog().info("ami: " + (dryRun ? "listing" : "removing") + " resources left behind by dead or expired builds of "
                    + (project == null ? "all projects" : project) + " in "
                    + locations.stream().map(OrphanLocation::description).collect(Collectors.joining(", "))
                    + (dryRun ? " (dry run: nothing is removed)" : ""));
            report = OrphanSweeper.sweep(platforms.orphanPlatforms(locations), new OrphanSweeper.Request(project, dryRun),
                    BuildRegistry.atDefaultLocation(), buildLog());
        } catch (ConfigurationException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        getLog().info("ami: " + report.removed().size() + " orphan(s) " + (dryRun ? "would be removed" : "removed") + ", "
                + report.kept().size() + " resource(s) kept (running builds, finished candidates, not yet expired)");
        if (!report.clean()) {
            throw new MojoExecutionException("ami:clean-orphans could not finish:\n  - " + String.join("\n  - ", report.problems()));
        }
    }

    /** This project's {@code target/ami-work} directories of killed builds: their keys and variable files. */
    private void removeStaleWorkDirectories() throws MojoExecutionException {
        Path output = projectInfo().outputDirectory();
        try {
            List<Path> stale = dryRun ? WorkDirectories.stale(output) : WorkDirectories.removeStale(output);
            for (Path dir : stale) {
                getLog().info("ami: " + (dryRun ? "would remove" : "removed") + " the work directory of a killed build: " + dir);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot remove the work directories of killed builds under "
                    + WorkDirectories.root(output) + ": " + e.getMessage(), e);
        }
    }

    /** The goal's platform parameters and {@code regions}, the further EC2 regions to sweep. */
    @Override
    protected PlatformParameters platformParameters() {
        return super.platformParameters().with("regions", regions);
    }
}
