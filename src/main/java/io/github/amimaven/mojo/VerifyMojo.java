package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;
import io.github.amimaven.verify.JUnitReports;
import io.github.amimaven.verify.TestSummary;

/**
 * Reads what {@code integration-test} recorded and fails the build when any image failed a check, ran no check,
 * or could not be tested. A failed candidate is deleted with its storage (or, with {@code keepFailedCandidates},
 * kept and tagged {@code ami:status=failed}); a passing one is tagged {@code ami:status=verified}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, configurator = "ami")
public class VerifyMojo extends AbstractAmiMojo {

    /** Keep failed candidates (tagged {@code ami:status=failed}) instead of deleting them, for inspection. */
    @Parameter(property = "ami.keepFailedCandidates", defaultValue = "false")
    protected boolean keepFailedCandidates;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        List<ImageSpec> specs = definitions().specs();
        Path reports = projectInfo().outputDirectory().resolve(JUnitReports.DIRECTORY);
        Map<String, Reports.Candidate> candidates = candidates();
        boolean testsSkipped = TestSummary.skipped(reports);
        TestSummary summary;
        try {
            summary = testsSkipped ? null : TestSummary.read(reports).orElseThrow(() -> new MojoExecutionException(
                    "no test results at " + reports.resolve(TestSummary.FILE) + ": run the integration-test phase first"));
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read the test results: " + e.getMessage(), e);
        }
        List<Failures.Problem> problems = new ArrayList<>();
        Map<String, String> statuses = new LinkedHashMap<>();
        try (Platforms platforms = platforms()) {
            for (ImageSpec spec : specs) {
                Reports.Candidate candidate = candidates.get(spec.name());
                if (candidate == null) {
                    problems.add(new Failures.Problem("[" + spec.name() + "] has no candidate: run the package phase first", null));
                    continue;
                }
                Platform platform = platforms.platformFor(spec);
                if (testsSkipped) {
                    getLog().warn("ami: " + spec.name() + " " + candidate.id() + " NOT VERIFIED (tests skipped): tagged ami:verified=false");
                    platform.tagImage(candidate.id(), Map.of("ami:verified", "false"));
                    continue;
                }
                boolean untested = spec.verifiers().isEmpty();
                Optional<String> problem = summary.problem(spec.name(), untested && spec.allowUntested());
                if (problem.isEmpty()) {
                    platform.tagImage(candidate.id(), Map.of("ami:status", "verified", "ami:verified", untested ? "false" : "true"));
                    statuses.put(spec.name(), "verified");
                    getLog().info("ami: " + spec.name() + " " + candidate.id() + (untested ? " accepted untested (allowUntested)" : " verified"));
                    continue;
                }
                problems.add(new Failures.Problem("[" + spec.name() + "] " + problem.get(), null));
                statuses.put(spec.name(), "failed");
                if (keepFailedCandidates) {
                    platform.tagImage(candidate.id(), Map.of("ami:status", "failed"));
                    getLog().warn("ami: kept failed candidate " + candidate.id() + " (keepFailedCandidates), tagged ami:status=failed");
                } else {
                    platform.deleteImage(candidate.id());
                    getLog().info("ami: deleted failed candidate " + candidate.id() + " of " + spec.name());
                }
            }
            if (!statuses.isEmpty()) {
                Reports.updateStatus(projectInfo(), statuses);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot update the manifest: " + e.getMessage(), e);
        }
        Failures.throwIfAny("Image verification failed (reports in " + reports + "):", problems);
    }
}
