package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.config.Definitions;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;
import io.github.amimaven.steps.CandidateTests;
import io.github.amimaven.verify.JUnitReports;

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
        Path reports = projectInfo().outputDirectory().resolve(JUnitReports.DIRECTORY);
        Map<String, Reports.Candidate> candidates = skipTests ? Map.of() : candidates();
        try (Platforms platforms = platforms()) {
            CandidateTests.run(new CandidateTests.Request(definitions.specs(), candidates, reports, skipTests,
                    keepOnFailure, projectInfo(), threads, definitions.run()), platforms, buildLog());
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + reports + ": " + e.getMessage(), e);
        }
    }
}
