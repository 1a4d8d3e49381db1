package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;
import io.github.amimaven.steps.Verification;
import io.github.amimaven.verify.JUnitReports;

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
        Verification.Outcome outcome;
        try (Platforms platforms = platforms()) {
            outcome = Verification.verify(specs, candidates, reports, keepFailedCandidates, platforms, buildLog());
        } catch (IOException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
        if (!outcome.statuses().isEmpty()) {
            try {
                Reports.updateStatus(projectInfo(), outcome.statuses());
            } catch (IOException e) {
                throw new MojoExecutionException("cannot update the manifest: " + e.getMessage(), e);
            }
        }
        Failures.throwIfAny("Image verification failed (reports in " + reports + "):",
                outcome.problems().stream().map(line -> new Failures.Problem(line, null)).toList());
    }
}
