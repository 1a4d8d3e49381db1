package io.github.amimaven.mojo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.deploy.CandidateChoice;
import io.github.amimaven.deploy.CandidateException;
import io.github.amimaven.deploy.DeployRequest;
import io.github.amimaven.deploy.Deployer;
import io.github.amimaven.deploy.ImageRelease;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.report.Reports;
import io.github.amimaven.steps.Pipelines;

/**
 * Promotes each verified candidate and distributes the release, as each image's {@code <deploy>} says: promotion in
 * the build region ({@code tag}: retagged {@code ami:status=released}; {@code copy}: copied to its release name, the
 * candidate deleted), copies to further regions and accounts in parallel, launch and create-volume permissions, SSM
 * parameters, launch template versions, deprecation and deregistration protection. A re-run after a failure resumes:
 * what exists already is found and not made again. Records everything in {@code target/ami/manifest.json}, the
 * project's artifact. Only a candidate that passed {@code verify} is promoted, unless {@code forcePromote}.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true, configurator = "ami")
public class DeployMojo extends AbstractAmiMojo {

    /** Promote candidates that were not verified. Loud; the image keeps {@code ami:verified=false}. */
    @Parameter(property = "ami.forcePromote", defaultValue = "false")
    protected boolean forcePromote;

    /**
     * Promote this candidate instead of this build's: {@code ami-…} in a project with one image, else
     * {@code web=ami-…,db=ami-…}. Only the images named are deployed. For a later CI stage.
     */
    @Parameter(property = "ami.candidate")
    protected String candidate;

    /**
     * Promote the candidates of this manifest (one an earlier build wrote, e.g. downloaded from the Maven
     * repository) instead of this build's {@code target/ami/manifest.json}.
     */
    @Parameter(property = "ami.manifest")
    protected File manifest;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Definitions definitions = definitions();
        List<ImageSpec> specs = definitions.specs();
        Map<String, ImageSpec> byName = specs.stream().collect(Collectors.toMap(ImageSpec::name, Function.identity()));
        CandidateChoice.Choice choice;
        try {
            choice = CandidateChoice.choose(specs.stream().map(ImageSpec::name).toList(), candidate,
                    manifest == null ? null : manifest.toPath(), Reports.manifest(projectInfo()), Reports::readCandidates);
        } catch (CandidateException | IOException e) {
            throw Failures.fault(e.getMessage(), e);
        }
        List<DeployRequest.ImageDeployment> deployments = new ArrayList<>();
        choice.chosen().forEach((name, c) -> deployments.add(new DeployRequest.ImageDeployment(name, c,
                definitions.releases().getOrDefault(name, ReleaseSpec.DEFAULT), byName.get(name).timeouts().copy())));
        List<ImageRelease> released;
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(deployments.stream().map(d -> byName.get(d.image())).toList());
            released = new Deployer(d -> platforms.releasePlatformFor(byName.get(d.image())), Pipelines::release,
                    buildLog()).deploy(new DeployRequest(deployments, forcePromote));
            for (ImageRelease r : released) {
                if (r.promoted()) {
                    getLog().info("ami: released " + r.image() + " " + r.releasedId() + " at "
                            + platforms.platformFor(byName.get(r.image())).imageLocation(r.releasedId()));
                }
            }
        } catch (Ec2Clients.Ec2CredentialsException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted: run deploy again to resume", e);
        }
        Path written;
        try {
            written = Reports.writeReleases(projectInfo(), manifest == null ? null : manifest.toPath(), released);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot update the manifest: " + e.getMessage(), e);
        }
        if ("ami".equals(project.getPackaging())) {
            project.getArtifact().setFile(written.toFile());
        }
        summarize(released);
        List<Failures.Problem> problems = new ArrayList<>();
        choice.refused().forEach(line -> problems.add(new Failures.Problem(line, null)));
        for (ImageRelease r : released) {
            if (r.refused() != null) {
                problems.add(new Failures.Problem("[" + r.image() + "] " + r.refused(), null));
            }
            r.problems().forEach(p -> problems.add(new Failures.Problem("[" + r.image() + "] " + p.describe(), p.failure())));
        }
        Failures.throwIfAny("Not deployed completely (run deploy again to resume once fixed):", problems);
    }

    private void summarize(List<ImageRelease> released) {
        for (ImageRelease r : released) {
            if (!r.promoted()) {
                continue;
            }
            getLog().info(String.format("  %-24s %-10s %s", r.image(), r.complete() ? "RELEASED" : "PARTIAL",
                    r.regions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", "))));
            r.accounts().forEach((account, regions) -> getLog().info("    account " + account + ": " + regions));
        }
    }
}
