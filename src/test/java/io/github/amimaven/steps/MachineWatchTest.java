package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.pipeline.StepRunner;
import io.github.amimaven.pipeline.StepTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.provision.ProvisionContext;
import io.github.amimaven.provision.Provisioner;
import io.github.amimaven.provision.TimeBoundProvisioner;
import io.github.amimaven.remote.SshConnector;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;
import io.github.amimaven.testing.ScriptedSsh;
import io.github.amimaven.verify.TimeBoundVerifier;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.verify.VerifyContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No wait outlasts a dead machine, and nothing the pipeline runs outlasts its bound: a machine that dies under a
 * step ends it within one poll of the platform, naming the cause and showing the console; a provisioner or verifier
 * past its {@code <timeout>} is stopped naming the setting. Nothing is left behind either way.
 */
class MachineWatchTest {

    private static final String SECRET = "console-secret-7d1f";

    @TempDir
    Path target;

    /** A platform whose machine dies when told to ({@code diedBecause}), polled every 50 ms, with a console showing why. */
    private static FakePlatform mortalPlatform() {
        FakePlatform platform = new FakePlatform();
        platform.watchInterval = Duration.ofMillis(50);
        platform.console = "[    0.1] Linux version 6.1\n[    1.2] token=" + SECRET + "\n[    1.3] Kernel panic - not syncing";
        return platform;
    }

    /** Blocks as a play whose connection hung would, until something interrupts it. */
    static final class Hanging implements Provisioner, Verifier {
        @Override
        public String describe() {
            return "hanging step";
        }

        @Override
        public void provision(ProvisionContext context) throws InterruptedException {
            Thread.sleep(120_000);
        }

        @Override
        public VerifierReport verify(VerifyContext ctx) throws InterruptedException {
            Thread.sleep(120_000);
            throw new AssertionError("not reached");
        }
    }

    private ImageSpec image(List<Provisioner> provisioners) {
        ImageSpec base = CandidatePipelineTest.image();
        return new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(), provisioners,
                base.tags(), base.nameTemplate(), null, base.timeouts());
    }

    private BuildContext context(ImageSpec image, FakePlatform platform, CollectingLog log,
            SshConnector connector) {
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", target, target);
        return new BuildContext(image, platform, log, "w1", project).withSshConnector(connector);
    }

    @Test
    void aMachineThatDiesDuringProvisioningEndsTheStepAtOnceWithItsConsole() throws Exception {
        Secrets.global().add(SECRET);
        FakePlatform platform = mortalPlatform();
        CollectingLog log = CollectingLog.quiet();
        ImageSpec image = image(List.of(new Hanging()));
        BuildContext c = context(image, platform, log, new ScriptedSsh().connector());
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            platform.diedBecause = "QEMU exited with code 1: KVM internal error. Suberror: 1";
        });
        killer.start();
        long start = System.nanoTime();
        Exception e = assertThrows(Exception.class, () -> StepRunner.run(Pipelines.candidateBuild(image), c));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(MachineDiedException.class, e);
        assertTrue(e.getMessage().contains("builder") && e.getMessage().contains("KVM internal error"), e.getMessage());
        assertTrue(ms < 5_000, "noticed after " + ms + " ms");
        assertFalse(c.interrupted, "a death is a failure, not a Ctrl-C");
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals("Provisioning", c.failedStep);
        assertEquals(List.of(), platform.live(), "cleanup still removes everything");

        Path saved = target.resolve("ami/web/console-builder.log");
        String console = Files.readString(saved);
        assertTrue(console.contains("Kernel panic"), console);
        assertFalse(console.contains(SECRET), "the console is masked");
        String all = String.join("\n", log.messages());
        assertTrue(all.contains("console of builder") && all.contains("| [    1.3] Kernel panic"), all);
        assertFalse(all.contains(SECRET));
    }

    @Test
    void aMachineThatDiesWhileSshIsAwaitedEndsTheWait() {
        FakePlatform platform = mortalPlatform();
        platform.diedBecause = "instance i-1 is stopped (Client.InstanceInitiatedShutdown: Instance initiated shutdown)";
        SshConnector neverAnswers = (t, timeout, l) -> {
            Thread.sleep(120_000);
            throw new AssertionError("not reached");
        };
        ImageSpec image = image(List.of());
        BuildContext c = context(image, platform, CollectingLog.quiet(), neverAnswers);
        long start = System.nanoTime();
        Exception e = assertThrows(MachineDiedException.class, () -> StepRunner.run(Pipelines.candidateBuild(image), c));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
        assertTrue(e.getMessage().contains("InstanceInitiatedShutdown"), e.getMessage());
        assertEquals("Waiting for SSH", c.failedStep);
        assertEquals(List.of(), platform.live());
    }

    @Test
    void aProvisionerPastItsTimeoutIsStoppedNamingTheSetting() {
        FakePlatform platform = new FakePlatform();
        String setting = "<images>/<image name=web>/<provisioners>/<ansible>[1]/<timeout>";
        ImageSpec image = image(List.of(new TimeBoundProvisioner(new Hanging(), Duration.ofMillis(300), setting)));
        BuildContext c = context(image, platform, CollectingLog.quiet(), new ScriptedSsh().connector());
        long start = System.nanoTime();
        Exception e = assertThrows(StepTimeoutException.class, () -> StepRunner.run(Pipelines.candidateBuild(image), c));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5_000);
        assertTrue(e.getMessage().contains("hanging step") && e.getMessage().contains("Raise " + setting)
                && e.getMessage().contains("300 ms"), e.getMessage());
        assertFalse(c.interrupted);
        assertEquals(List.of(), platform.live());
    }

    @Test
    void aProvisionerWithinItsTimeoutIsNotDisturbed() throws Exception {
        FakePlatform platform = new FakePlatform();
        Provisioner quick = new Provisioner() {
            @Override public String describe() { return "quick"; }
            @Override public void provision(ProvisionContext context) throws InterruptedException { Thread.sleep(50); }
        };
        ImageSpec image = image(List.of(new TimeBoundProvisioner(quick, Duration.ofMillis(500), "<timeout>")));
        BuildContext c = context(image, platform, CollectingLog.quiet(), new ScriptedSsh().connector());
        StepRunner.run(Pipelines.candidateBuild(image), c);
        Thread.sleep(700);
        assertTrue(c.succeeded());
        assertFalse(Thread.currentThread().isInterrupted(), "a bound that was closed never fires");
    }

    @Test
    void aVerifierPastItsTimeoutIsReportedAsNotFinished() throws Exception {
        FakePlatform platform = new FakePlatform();
        String setting = "<images>/<image name=web>/<verifiers>/<testinfra>[1]/<timeout>";
        ImageSpec base = CandidatePipelineTest.image();
        ImageSpec image = new ImageSpec(base.name(), base.platform(), new SourceSpec("ami-candidate", null, null, null, null),
                base.launch(), base.ssh(), List.of(), base.tags(), base.nameTemplate(), null, base.timeouts(),
                List.of(new TimeBoundVerifier(new Hanging(), Duration.ofMillis(300), setting)), false);
        BuildContext c = context(image, platform, CollectingLog.quiet(), new ScriptedSsh().connector());
        StepRunner.run(Pipelines.candidateTest(image), c);
        assertEquals(1, c.verifierReports.size());
        VerifierReport r = c.verifierReports.get(0);
        assertTrue(r.toString().contains(setting), r.toString());
        assertEquals(List.of(), platform.live());
    }
}
