package io.github.amimaven.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifyContext;
import io.github.amimaven.verify.VerifyException;

/**
 * Runs the image's verifiers against the test instance. Failed checks are results, not failures of this step:
 * the {@code verify} goal judges them. A verifier that cannot run at all is recorded as an error.
 */
final class RunVerifiers implements Step {

    @Override
    public String title() {
        return "Running verifiers";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        Path workDir = Files.createDirectories(c.project().outputDirectory().resolve("ami-work")
                .resolve(c.image().name() + "-verify-" + c.buildId()));
        for (Verifier verifier : c.image().verifiers()) {
            c.log().info("--> " + verifier.describe());
            VerifierReport report;
            try {
                report = verifier.verify(new VerifyContext(c.session, c.sshTarget, workDir, c.log(), c.image().name()));
            } catch (VerifyException e) {
                c.log().error(verifier.describe() + " could not run: " + e.getMessage());
                report = VerifierReport.couldNotRun(verifier.describe(), e.getMessage());
            }
            if (report.rawReport() != null) {
                // the tool's own report stays under target/ for people to read: masked like ours
                Secrets.global().redactFile(report.rawReport());
            }
            c.verifierReports.add(report);
            c.log().info("    " + report.summary());
        }
    }
}
