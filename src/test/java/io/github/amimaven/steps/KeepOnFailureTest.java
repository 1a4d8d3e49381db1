package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.pipeline.StepRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;
import io.github.amimaven.testing.ScriptedSsh;
import io.github.amimaven.verify.CheckResult;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifierReport;
import io.github.amimaven.verify.VerifyContext;

/** keepOnFailure: a test instance whose checks failed stays up with its firewall, and the user learns how to log in. */
class KeepOnFailureTest {

    @TempDir
    Path target;

    private static Verifier verifier(boolean passes) {
        return new Verifier() {
            @Override
            public String describe() {
                return "stand-in";
            }

            @Override
            public VerifierReport verify(VerifyContext ctx) {
                return new VerifierReport("stand-in", List.of(passes
                        ? CheckResult.passed("s", "c1", "motd present", 0.1)
                        : CheckResult.failed("s", "c1", "motd present", "no /etc/motd", 0.1)), null);
            }
        };
    }

    private ImageSpec image(boolean passes) {
        ImageSpec base = CandidatePipelineTest.image();
        return new ImageSpec(base.name(), base.platform(), new SourceSpec("ami-candidate", null, null, null, null),
                base.launch(), base.ssh(), List.of(), base.tags(), base.nameTemplate(), null, base.timeouts(),
                List.of(verifier(passes)), false);
    }

    private BuildContext run(ImageSpec image, FakePlatform platform, CollectingLog log, boolean keep)
            throws Exception {
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", target, target);
        BuildContext c = new BuildContext(image, platform, log, "t1", project).withSshConnector(new ScriptedSsh().connector());
        StepRunner.run(Pipelines.candidateTest(image, keep), c);
        return c;
    }

    @Test
    void aFailedCheckKeepsTheInstanceAndItsFirewallAndPrintsTheSshCommand() throws Exception {
        FakePlatform platform = new FakePlatform();
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = run(image(false), platform, log, true);

        assertEquals(Set.of(c.firewallId, c.machineId), Set.copyOf(platform.live()), "only the key pair is removed");
        assertFalse(platform.calls.contains("terminate"));
        assertTrue(platform.callsWithArguments.contains("keepRunning " + c.machineId), platform.calls.toString());
        Path key = target.resolve("ami/kept/web-t1.pem");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(new String(Files.readAllBytes(key)).contains("PRIVATE KEY"));
        String keepLine = log.messages().stream().filter(l -> l.startsWith("WARN KEEPING test instance " + c.machineId)).findFirst()
                .orElseThrow(() -> new AssertionError(log.messages().toString()));
        assertTrue(keepLine.contains("ssh -i " + key.toAbsolutePath() + " -p 22 "), keepLine);
        assertTrue(keepLine.endsWith(" centos@" + c.sshTarget.host()), keepLine);
    }

    @Test
    void passingChecksOrNoKeepOnFailureRemoveEverything() throws Exception {
        FakePlatform passing = new FakePlatform();
        run(image(true), passing, CollectingLog.quiet(), true);
        assertEquals(List.of(), passing.live());

        FakePlatform failingWithoutKeep = new FakePlatform();
        run(image(false), failingWithoutKeep, CollectingLog.quiet(), false);
        assertEquals(List.of(), failingWithoutKeep.live());
        assertFalse(Files.exists(target.resolve("ami/kept")));
    }

    @Test
    void aStepThatFailsAfterLaunchAlsoKeepsTheInstance() {
        FakePlatform platform = new FakePlatform();
        ProjectInfo project = new ProjectInfo("com.example", "images", "1.0", target, target);
        ScriptedSsh ssh = new ScriptedSsh();
        ssh.refuse = true;
        ImageSpec image = image(true);
        BuildContext c = new BuildContext(image, platform, CollectingLog.quiet(), "t2", project)
                .withSshConnector(ssh.connector());
        try {
            StepRunner.run(Pipelines.candidateTest(image, true), c);
        } catch (Exception expected) {
            // SSH refused
        }
        assertTrue(c.machineKept);
        assertTrue(platform.live().contains(c.machineId), platform.live().toString());
    }
}
