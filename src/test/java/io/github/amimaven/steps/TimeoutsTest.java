package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.Timeouts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.remote.SshTimeoutException;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;
import io.github.amimaven.verify.CheckResult;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.verify.VerifyContext;

/** Every wait is bounded by its own setting, and a wait that runs out says which setting to raise. */
class TimeoutsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsFitRealAws() {
        Timeouts t = Timeouts.defaults();
        assertEquals(Duration.ofMinutes(5), t.ssh());
        assertEquals(Duration.ofMinutes(15), t.instance());
        assertEquals(Duration.ofMinutes(60), t.image());
        assertEquals(Duration.ofHours(3), t.copy());
        assertEquals(Duration.ofMinutes(30), t.test());
        assertEquals("image ami-1 not available after 60 min: raise <timeouts><image> if this is expected",
                PlatformException.timedOut("image ami-1 not available", t.image(), Timeouts.IMAGE, null).getMessage());
        assertEquals("3 h", Timeouts.describe(t.copy()));
        assertEquals("90 s", Timeouts.describe(Duration.ofSeconds(90)));
    }

    static Verifier verifier(String name, long sleepMillis) {
        return new Verifier() {
            @Override
            public String describe() {
                return name;
            }

            @Override
            public VerifierReport verify(VerifyContext ctx) throws InterruptedException {
                Thread.sleep(sleepMillis);
                return new VerifierReport(name, List.of(CheckResult.passed(name, "ok", "ok", 0)), null);
            }
        };
    }

    BuildContext context(Timeouts timeouts, List<Verifier> verifiers) {
        ImageSpec base = CandidatePipelineTest.image();
        ImageSpec image = new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(), List.of(),
                Map.of(), base.nameTemplate(), null, timeouts, verifiers, false);
        BuildContext c = new BuildContext(image, new FakePlatform(), CollectingLog.quiet(), "t1",
                new ProjectInfo("com.example", "images", "1.0", dir, dir.resolve("target")));
        c.sshTarget = new SshTarget("127.0.0.1", 22, "centos", "key".getBytes(StandardCharsets.US_ASCII));
        return c;
    }

    /** Runs the step on a thread the pipeline's aborts interrupt, as {@code StepRunner} does. */
    private static void runVerifiers(BuildContext c) throws Exception {
        c.stepAbort().attach(Thread.currentThread());
        try {
            new RunVerifiers().run(c);
        } finally {
            c.stepAbort().detach();
        }
    }

    @Test
    void verifiersStillRunningWhenTheTestTimeoutRunsOutAreStoppedAndReportedNamingTheSetting() throws Exception {
        Timeouts timeouts = new Timeouts(Timeouts.DEFAULT_INSTANCE, Timeouts.DEFAULT_IMAGE, Timeouts.DEFAULT_SSH,
                Timeouts.DEFAULT_COPY, Duration.ofMillis(500));
        BuildContext c = context(timeouts, List.of(verifier("quick", 0), verifier("stuck", 60_000), verifier("never", 0)));
        long start = System.nanoTime();
        runVerifiers(c);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the stuck verifier was stopped");
        assertFalse(Thread.currentThread().isInterrupted(), "the timeout's interrupt does not outlive the step");
        assertEquals(List.of("quick", "stuck"), c.verifierReports.stream().map(VerifierReport::verifier).toList());
        String message = c.verifierReports.get(1).results().get(0).message();
        assertEquals("did not finish: the verifiers ran out of time after 500 ms: raise <timeouts><test> if they need longer"
                + " (1 verifier(s) after it did not run)", message);
    }

    @Test
    void verifiersWithinTheTestTimeoutAllRunAndTheTimeoutNeverFiresLater() throws Exception {
        BuildContext c = context(Timeouts.defaults(), List.of(verifier("a", 0), verifier("b", 10)));
        runVerifiers(c);
        assertEquals(2, c.verifierReports.size());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anSshTimeoutNamesItsSetting() {
        ImageSpec base = CandidatePipelineTest.image();
        BuildContext c = new BuildContext(base, new FakePlatform(), CollectingLog.quiet(), "t1",
                CandidatePipelineTest.PROJECT).withSshConnector((target, timeout, log) -> {
                    throw new SshTimeoutException("cannot log in to " + target + " over SSH within 300.0 s (12 attempts)", null);
                });
        c.machine = new Machine("i-1", "203.0.113.9", "10.0.0.9", null, null);
        c.privateKey = "key".getBytes(StandardCharsets.US_ASCII);
        SshTimeoutException e = assertThrows(SshTimeoutException.class, () -> new ConnectSsh().run(c));
        assertEquals("cannot log in to centos@203.0.113.9:22 over SSH within 300.0 s (12 attempts). Raise <timeouts><ssh>"
                + " (now 5 min) if the machine boots slowly", e.getMessage());
    }
}
