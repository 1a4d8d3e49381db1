package io.github.amimaven.mojo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.deploy.DeployRequest;
import io.github.amimaven.deploy.Deployer;
import io.github.amimaven.deploy.ImageRelease;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.pipeline.ImageSpec;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.report.Reports;

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
        List<ImageSpec> specs = imageSpecs();
        Map<String, ImageSpec> byName = specs.stream().collect(Collectors.toMap(ImageSpec::name, Function.identity()));
        List<String> refused = new ArrayList<>();
        Map<String, DeployRequest.Candidate> chosen = chooseCandidates(specs, refused);
        List<DeployRequest.ImageDeployment> deployments = new ArrayList<>();
        chosen.forEach((name, c) -> deployments.add(new DeployRequest.ImageDeployment(name, c,
                releases.getOrDefault(name, ReleaseSpec.DEFAULT), byName.get(name).timeouts().copy())));
        List<ImageRelease> released;
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(deployments.stream().map(d -> byName.get(d.image())).toList());
            released = new Deployer(d -> platforms.releasePlatformFor(byName.get(d.image())), buildLog())
                    .deploy(new DeployRequest(deployments, forcePromote));
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
        fail(released, refused);
    }

    /** The candidate of each image to deploy, from {@code -Dami.candidate}, {@code -Dami.manifest} or this build. */
    private Map<String, DeployRequest.Candidate> chooseCandidates(List<ImageSpec> specs, List<String> refused)
            throws MojoFailureException, MojoExecutionException {
        Map<String, DeployRequest.Candidate> chosen = new LinkedHashMap<>();
        if (candidate != null && !candidate.isBlank()) {
            for (String part : candidate.split(",")) {
                String p = part.trim();
                int eq = p.indexOf('=');
                String name = eq > 0 ? p.substring(0, eq).trim() : specs.size() == 1 ? specs.get(0).name() : null;
                String id = eq > 0 ? p.substring(eq + 1).trim() : p;
                if (name == null) {
                    throw new MojoFailureException("-Dami.candidate=" + p + " names no image, and the project has "
                            + specs.size() + ": write -Dami.candidate=" + specs.get(0).name() + "=" + p + ",…");
                }
                if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                    throw new MojoFailureException("-Dami.candidate names image '" + name + "', which the POM does not"
                            + " define: use one of " + specs.stream().map(ImageSpec::name).toList());
                }
                if (!id.matches("(ami|img)-[0-9a-f]{8,17}")) {
                    throw new MojoFailureException("-Dami.candidate: '" + id + "' is not an image id: write e.g. ami-0123456789abcdef0");
                }
                chosen.put(name, new DeployRequest.Candidate(id, null, "-Dami.candidate"));
            }
            return chosen;
        }
        Path file = manifest != null ? manifest.toPath() : Reports.manifest(projectInfo());
        if (manifest != null && !Files.isRegularFile(file)) {
            throw new MojoFailureException("-Dami.manifest: " + file + " does not exist: give the path of a manifest.json"
                    + " an earlier build wrote");
        }
        Map<String, Reports.Candidate> recorded;
        try {
            recorded = Reports.readCandidates(file);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (ImageSpec spec : specs) {
            Reports.Candidate c = recorded.get(spec.name());
            if (c == null || c.id().isBlank()) {
                refused.add("[" + spec.name() + "] has no candidate" + (manifest == null
                        ? ": run the package phase first" : " in " + file + ": name one with -Dami.candidate"));
            } else {
                chosen.put(spec.name(), new DeployRequest.Candidate(c.id(), c.imageName(), file.toString()));
            }
        }
        return chosen;
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

    private static void fail(List<ImageRelease> released, List<String> refused)
            throws MojoFailureException, MojoExecutionException {
        List<String> messages = new ArrayList<>(refused);
        boolean userFault = true;
        Exception first = null;
        for (ImageRelease r : released) {
            if (r.refused() != null) {
                messages.add("[" + r.image() + "] " + r.refused());
            }
            for (ImageRelease.Problem p : r.problems()) {
                messages.add("[" + r.image() + "] " + p.describe());
                userFault &= Failures.isUserFault(p.failure());
                first = first == null ? p.failure() : first;
            }
        }
        if (messages.isEmpty()) {
            return;
        }
        String message = "Not deployed completely (run deploy again to resume once fixed):\n" + String.join("\n", messages);
        if (userFault) {
            throw new MojoFailureException(message, first);
        }
        throw new MojoExecutionException(message, first);
    }
}
