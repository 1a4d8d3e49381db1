package io.github.amimaven.mojo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.pipeline.ImageSpec;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;

/**
 * Promotes each verified candidate of this build to a released image, in place: it is retagged
 * {@code ami:status=released} (on EC2, the image and its snapshots; locally, in the image store). Only a candidate
 * that passed {@code verify} is promoted, unless {@code forcePromote} says otherwise. Region copies, sharing and
 * publishing come in a later version.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true, configurator = "ami")
public class DeployMojo extends AbstractAmiMojo {

    /** Promote candidates that were not verified. Loud; the image keeps {@code ami:verified=false}. */
    @Parameter(property = "ami.forcePromote", defaultValue = "false")
    protected boolean forcePromote;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        List<ImageSpec> specs = imageSpecs();
        Map<String, Reports.Candidate> candidates = candidates();
        List<String> refused = new ArrayList<>();
        Map<String, String> statuses = new LinkedHashMap<>();
        try (Platforms platforms = platforms()) {
            for (ImageSpec spec : specs) {
                Reports.Candidate candidate = candidates.get(spec.name());
                if (candidate == null) {
                    refused.add("[" + spec.name() + "] has no candidate: run the package phase first");
                    continue;
                }
                if (!"verified".equals(candidate.status())) {
                    if (!forcePromote) {
                        refused.add("[" + spec.name() + "] candidate " + candidate.id() + " is " + candidate.status()
                                + ", not verified: run the verify phase, or promote anyway with -Dami.forcePromote");
                        continue;
                    }
                    getLog().warn("ami: PROMOTING UNVERIFIED candidate " + candidate.id() + " of " + spec.name() + " (ami.forcePromote)");
                }
                Platform platform = platforms.platformFor(spec);
                platform.tagImage(candidate.id(), Map.of("ami:status", "released"));
                statuses.put(spec.name(), "released");
                getLog().info("ami: released " + spec.name() + " " + candidate.id() + " at " + platform.imageLocation(candidate.id()));
            }
            if (!statuses.isEmpty()) {
                Reports.updateStatus(projectInfo(), statuses);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot update the manifest: " + e.getMessage(), e);
        }
        if (!refused.isEmpty()) {
            throw new MojoFailureException("Not promoted:\n" + String.join("\n", refused));
        }
    }
}
