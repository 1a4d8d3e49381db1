package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.config.Definitions;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.report.Reports;
import io.github.amimaven.verify.JUnitReports;
import io.github.amimaven.verify.TestSummary;
import io.github.amimaven.verify.VerifierReport;

/**
 * Boots a test instance from each candidate, runs the image's verifiers against it and records the results:
 * JUnit XML per image and {@code summary.json} under {@code target/ami-reports/}. Like failsafe's
 * {@code integration-test}, it never fails the build on check results (the {@code verify} goal does), and the
 * test instance and its key are removed on every path.
 */
@Mojo(name = "integration-test", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true, configurator = "ami")
public class IntegrationTestMojo extends AbstractAmiMojo {

    /** Skip the image tests. Loud: the image is then tagged {@code ami:verified=false}. */
    @Parameter(property = "ami.skipTests", defaultValue = "false")
    protected boolean skipTests;

    /**
     * Leave a test instance whose checks failed running, and print the SSH command to reach it (the build's private
     * key is written under {@code target/ami/kept/}). For debugging a failing image; remove the instance afterwards.
     */
    @Parameter(property = "ami.keepOnFailure", defaultValue = "false")
    protected boolean keepOnFailure;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Definitions definitions = definitions();
        List<ImageSpec> specs = definitions.specs();
        Path reports = projectInfo().outputDirectory().resolve(JUnitReports.DIRECTORY);
        try {
            TestSummary.recordSkipped(reports, skipTests);
            if (skipTests) {
                getLog().warn("**************************************************************************");
                getLog().warn("ami: IMAGE TESTS SKIPPED (ami.skipTests): candidates will be tagged ami:verified=false");
                getLog().warn("**************************************************************************");
                return;
            }
            Map<String, Reports.Candidate> candidates = candidates();
            Map<String, List<VerifierReport>> byImage = new LinkedHashMap<>();
            List<ImageSpec> toTest = new ArrayList<>();
            for (ImageSpec spec : specs) {
                Reports.Candidate candidate = candidates.get(spec.name());
                if (candidate == null) {
                    byImage.put(spec.name(), List.of(VerifierReport.couldNotRun("candidate",
                            "no candidate of " + spec.name() + " in target/ami/manifest.json: run the package phase first")));
                } else if (spec.verifiers().isEmpty()) {
                    byImage.put(spec.name(), List.of());
                } else {
                    toTest.add(spec.withSource(new SourceSpec(candidate.id(), null, null, null, null)));
                }
            }
            if (!toTest.isEmpty()) {
                String buildId = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
                getLog().info("ami: testing " + toTest.size() + " candidate(s), build id " + buildId);
                List<ImageResult> results;
                try (Platforms platforms = platforms()) {
                    results = ImageBuilds.run(toTest, spec -> Pipelines.candidateTest(spec, keepOnFailure), platforms,
                            buildLog(), buildId, projectInfo(), threads, definitions.run());
                }
                for (ImageResult r : results) {
                    List<VerifierReport> all = new ArrayList<>(r.verifierReports());
                    if (!r.succeeded()) {
                        all.add(VerifierReport.couldNotRun("test instance", r.failedStep() + ": " + r.failure().getMessage()));
                    }
                    byImage.put(r.image().name(), all);
                }
            }
            Instant now = Instant.now();
            for (Map.Entry<String, List<VerifierReport>> e : byImage.entrySet()) {
                JUnitReports.writeImage(reports, e.getKey(), e.getValue(), now);
                long checks = e.getValue().stream().mapToLong(VerifierReport::total).sum();
                long failed = e.getValue().stream().mapToLong(r -> r.failed().size()).sum();
                getLog().info(String.format("  %-24s %d check(s), %d failed", e.getKey(), checks, failed));
            }
            TestSummary.of(byImage).write(reports);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + reports + ": " + e.getMessage(), e);
        }
    }
}
