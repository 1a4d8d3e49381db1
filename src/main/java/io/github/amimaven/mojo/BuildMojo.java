package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

import io.github.amimaven.config.Definitions;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;

/**
 * Builds a candidate image per {@code <image>}: launches a builder from the source image, provisions it over SSH,
 * stops it and creates a date-versioned candidate image (tagged {@code ami:status=candidate}, never shared).
 * Every temporary resource is removed afterwards, on success, failure and Ctrl-C. Writes
 * {@code target/ami/manifest.json} and {@code target/ami/env.properties} and sets the project property
 * {@code ami.<name>.id} per image.
 */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true, configurator = "ami")
public class BuildMojo extends AbstractAmiMojo {

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Definitions definitions = definitions();
        List<ImageSpec> specs = definitions.specs();
        String buildId = "b" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        long start = System.nanoTime();
        List<ImageResult> results;
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(specs);
            getLog().info("ami: building " + specs.size() + " image(s), " + Math.min(threads, specs.size())
                    + " at a time, build id " + buildId);
            results = ImageBuilds.run(specs, Pipelines::candidateBuild, platforms, buildLog(), buildId, projectInfo(), threads, definitions.run());
        }
        Path manifest;
        try {
            manifest = Reports.writeCandidates(projectInfo(), buildId, results);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + Reports.directory(projectInfo()) + ": " + e.getMessage(), e);
        }
        for (ImageResult r : results) {
            if (r.succeeded()) {
                project.getProperties().setProperty(imageIdProperty(r.image().name()), r.imageId());
            }
        }
        if ("ami".equals(project.getPackaging())) {
            project.getArtifact().setFile(manifest.toFile());
        }
        Failures.summarize(getLog(), "built", results, Duration.ofNanos(System.nanoTime() - start));
        Failures.throwIfAny(results);
    }

    /** The Maven property holding an image's id for later plugins: the candidate's, then the release's. */
    static String imageIdProperty(String image) {
        return "ami." + image + ".id";
    }
}
