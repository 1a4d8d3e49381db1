package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.pipeline.ImageSpec;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.JUnitReports;
import io.github.amimaven.report.Reports;

/**
 * Reads what {@code integration-test} recorded and fails the build when any image failed a check, ran no check,
 * or could not be tested. A failed candidate is deleted with its storage (or, with {@code keepFailedCandidates},
 * kept and tagged {@code ami:status=failed}); a passing one is tagged {@code ami:status=verified}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, configurator = "ami")
public class VerifyMojo extends AbstractAmiMojo {

    /** How many failed checks per image the failure message quotes. */
    static final int QUOTED_FAILURES = 5;

    /** Keep failed candidates (tagged {@code ami:status=failed}) instead of deleting them, for inspection. */
    @Parameter(property = "ami.keepFailedCandidates", defaultValue = "false")
    protected boolean keepFailedCandidates;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        List<ImageSpec> specs = imageSpecs();
        Path reports = projectInfo().outputDirectory().resolve(JUnitReports.DIRECTORY);
        Map<String, Reports.Candidate> candidates = candidates();
        JsonNode summary;
        boolean testsSkipped = Files.exists(reports.resolve(IntegrationTestMojo.TESTS_SKIPPED));
        try {
            Path summaryFile = reports.resolve(JUnitReports.SUMMARY);
            if (!testsSkipped && !Files.exists(summaryFile)) {
                throw new MojoExecutionException("no test results at " + summaryFile + ": run the integration-test phase first");
            }
            summary = testsSkipped ? null : new ObjectMapper().readTree(summaryFile.toFile());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot read the test results: " + e.getMessage(), e);
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> statuses = new LinkedHashMap<>();
        try (Platforms platforms = platforms()) {
            for (ImageSpec spec : specs) {
                Reports.Candidate candidate = candidates.get(spec.name());
                if (candidate == null) {
                    problems.add("[" + spec.name() + "] has no candidate: run the package phase first");
                    continue;
                }
                Platform platform = platforms.platformFor(spec);
                if (testsSkipped) {
                    getLog().warn("ami: " + spec.name() + " " + candidate.id() + " NOT VERIFIED (tests skipped): tagged ami:verified=false");
                    platform.tagImage(candidate.id(), Map.of("ami:verified", "false"));
                    continue;
                }
                String problem = judge(spec, summary.path("images").path(spec.name()));
                if (problem == null) {
                    boolean untested = spec.verifiers().isEmpty();
                    platform.tagImage(candidate.id(), Map.of("ami:status", "verified", "ami:verified", untested ? "false" : "true"));
                    statuses.put(spec.name(), "verified");
                    getLog().info("ami: " + spec.name() + " " + candidate.id() + (untested ? " accepted untested (allowUntested)" : " verified"));
                    continue;
                }
                problems.add("[" + spec.name() + "] " + problem);
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
        if (!problems.isEmpty()) {
            throw new MojoFailureException("Image verification failed (reports in " + reports + "):\n" + String.join("\n", problems));
        }
    }

    /** Null when the image passed, else why not. */
    static String judge(ImageSpec spec, JsonNode entry) {
        if (entry.isMissingNode()) {
            return "was not tested: run the integration-test phase";
        }
        JsonNode failed = entry.path("failed");
        if (failed.size() > 0) {
            StringBuilder b = new StringBuilder(failed.size() + " check(s) failed:");
            for (int i = 0; i < Math.min(QUOTED_FAILURES, failed.size()); i++) {
                JsonNode f = failed.get(i);
                b.append("\n    - ").append(f.path("verifier").asText()).append(" ").append(f.path("id").asText())
                        .append(" (").append(f.path("status").asText().toLowerCase()).append("): ")
                        .append(f.path("message").asText());
            }
            if (failed.size() > QUOTED_FAILURES) {
                b.append("\n    - … and ").append(failed.size() - QUOTED_FAILURES).append(" more");
            }
            return b.toString();
        }
        if (entry.path("tests").asInt() == 0 && !(spec.verifiers().isEmpty() && spec.allowUntested())) {
            return "ran no checks: add <verifiers>, or declare <verifiers/> with <allowUntested>true</allowUntested>";
        }
        return null;
    }
}
