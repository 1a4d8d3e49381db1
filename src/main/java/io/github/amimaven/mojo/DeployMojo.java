package io.github.amimaven.mojo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.config.Definitions;
import io.github.amimaven.deploy.CandidateChoice;
import io.github.amimaven.deploy.CandidateException;
import io.github.amimaven.deploy.DeployOutcome;
import io.github.amimaven.deploy.DeployRequest;
import io.github.amimaven.deploy.Deployer;
import io.github.amimaven.deploy.ImageRelease;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;
import io.github.amimaven.steps.Pipelines;

/**
 * Promotes each verified candidate and distributes the release, as each image's {@code <deploy>} says: promotion in
 * the build region ({@code tag}: retagged {@code ami:status=released}; {@code copy}: copied to its release name, the
 * candidate deleted), copies to further regions and accounts in parallel, launch and create-volume permissions, SSM
 * parameters, launch template versions, deprecation and deregistration protection. The goal alone
 * ({@code mvn ami:deploy}, with the same candidate options) resumes a deploy that failed or was killed: what exists
 * already is found and not made again. Records everything in {@code target/ami/manifest.json}, the
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
        Map<String, ImageSpec> byName = definitions.specs().stream()
                .collect(Collectors.toMap(ImageSpec::name, Function.identity()));
        Path namedManifest = manifest == null ? null : manifest.toPath();
        CandidateChoice.Choice choice;
        try {
            choice = CandidateChoice.choose(definitions.specs().stream().map(ImageSpec::name).toList(), candidate,
                    namedManifest, Reports.manifest(projectInfo()), Reports::readCandidates);
        } catch (CandidateException | IOException e) {
            throw Failures.fault(e.getMessage(), e);
        }
        DeployRequest request = DeployRequest.of(choice.chosen(), definitions.releases(),
                image -> byName.get(image).timeouts().copy(), forcePromote);
        List<ImageRelease> released;
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(request.images().stream().map(d -> byName.get(d.image())).toList());
            released = new Deployer(d -> platforms.releasePlatformFor(byName.get(d.image())), Pipelines::release,
                    buildLog()).deploy(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoExecutionException("interrupted: resume with " + resumeCommand(), e);
        }
        Path written;
        try {
            written = Reports.writeReleases(projectInfo(), namedManifest, released);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot update the manifest: " + e.getMessage(), e);
        }
        // later plugins of the same build read the released image, no longer the candidate package recorded
        released.stream().filter(ImageRelease::promoted).forEach(r -> project.getProperties()
                .setProperty(BuildMojo.imageIdProperty(r.image()), r.releasedId()));
        if ("ami".equals(project.getPackaging())) {
            project.getArtifact().setFile(written.toFile());
        }
        DeployOutcome outcome = new DeployOutcome(choice.refused(), released);
        outcome.summary().forEach(getLog()::info);
        Failures.throwIfAny("Not deployed completely (once fixed, resume with " + resumeCommand() + "):",
                outcome.problems().stream().map(p -> new Failures.Problem(p.line(), p.cause())).toList());
    }

    /**
     * The command that resumes this deploy: the goal alone, since the lifecycle would build a new candidate, with
     * the same choice of candidates (the manifest records what was released, not which candidate an option named).
     */
    private String resumeCommand() {
        StringBuilder command = new StringBuilder("mvn ami:deploy");
        if (candidate != null && !candidate.isBlank()) {
            command.append(" -Dami.candidate=").append(candidate.trim());
        } else if (manifest != null) {
            command.append(" -Dami.manifest=").append(manifest);
        }
        if (forcePromote) {
            command.append(" -Dami.forcePromote");
        }
        return command.toString();
    }
}
