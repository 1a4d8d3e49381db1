package io.github.amimaven.steps;

import io.github.amimaven.cleanup.WorkDirectories;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.StepTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.verify.TimeBoundVerifier;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifyContext;
import io.github.amimaven.verify.VerifyException;

/**
 * Runs the image's verifiers against the test instance. Failed checks are results, not failures of this step:
 * the {@code verify} goal judges them. A verifier that cannot run at all is recorded as an error, and so is one
 * still running when {@code <timeouts><test>} (for all verifiers together) runs out: it is interrupted, which
 * stops its tool or remote command, and the verifiers after it do not run.
 */
final class RunVerifiers implements Step<BuildContext> {

    @Override
    public String title() {
        return "Running verifiers";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        Path workDir = Files.createDirectories(WorkDirectories.ofBuild(c.project().outputDirectory(), c.buildId())
                .resolve(c.image().name() + "-verify"));
        Duration limit = c.image().timeouts().test();
        List<Verifier> verifiers = c.image().verifiers();
        c.image().hostKeysLeftUnchecked().ifPresent(c.log()::warn);
        try (BuildContext.Bound all = c.bound(limit, "the test (all verifiers together)", Timeouts.TEST)) {
            for (int i = 0; i < verifiers.size(); i++) {
                Verifier verifier = verifiers.get(i);
                c.log().info("--> " + verifier.describe());
                VerifierReport report;
                BuildContext.Bound bound = verifier instanceof TimeBoundVerifier b
                        ? c.bound(b.timeout(), "verifier " + verifier.describe(), b.setting()) : null;
                try {
                    report = verifier.verify(new VerifyContext(c.session, c.sshTarget, workDir, c.log(), c.image().name()));
                } catch (VerifyException | InterruptedException e) {
                    // a bound that runs out closes the session before it interrupts: either can end the verifier first
                    if (c.stepAbort().reason() instanceof StepTimeoutException late) {
                        // it did not finish, and its session is closed, so the rest cannot run
                        String notRun = i + 1 < verifiers.size()
                                ? " (" + (verifiers.size() - i - 1) + " verifier(s) after it did not run)" : "";
                        String message;
                        if (all.fired()) {
                            message = "did not finish: the verifiers ran out of time after " + Timeouts.describe(limit)
                                    + ": raise " + Timeouts.TEST + " if they need longer" + notRun;
                            c.log().error(verifier.describe() + " " + message);
                        } else {
                            message = late.getMessage() + notRun;
                        }
                        c.verifierReports.add(VerifierReport.couldNotRun(verifier.describe(), message));
                        return;
                    }
                    if (e instanceof InterruptedException) {
                        throw e;
                    }
                    c.log().error(verifier.describe() + " could not run: " + e.getMessage());
                    report = VerifierReport.couldNotRun(verifier.describe(), e.getMessage());
                } finally {
                    if (bound != null) {
                        bound.close();
                    }
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
}
