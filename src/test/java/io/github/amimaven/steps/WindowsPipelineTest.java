package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.WindowsOptions;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.StepRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.github.amimaven.config.ImageConfig;
import io.github.amimaven.config.ImageDefinitions;
import io.github.amimaven.provision.Powershell;
import io.github.amimaven.config.SourceConfig;
import io.github.amimaven.config.SshConfig;
import io.github.amimaven.config.WindowsConfig;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.testing.CollectingLog;

/** The Windows candidate pipeline against an in-memory platform and a scripted Windows SSH session. */
class WindowsPipelineTest {

    /** Records the Windows calls and hands out the passwords queued in {@link #passwords}, one per poll. */
    static class WindowsPlatform extends FakePlatform {
        final Deque<Optional<String>> passwords = new ArrayDeque<>();

        @Override
        public void stopOnGuestShutdown(String machineId) {
            calls.add("stopOnGuestShutdown");
        }

        @Override
        public Optional<String> windowsPassword(String machineId, byte[] privateKey) {
            calls.add("windowsPassword");
            assertNotNull(privateKey, "the build's private key decrypts the password");
            Optional<String> next = passwords.poll();
            return next == null ? Optional.empty() : next;
        }
    }

    static ImageSpec windowsImage(WindowsConfig windows) {
        ImageConfig c = new ImageConfig().name("win").os("windows").source(new SourceConfig().id("ami-0123456789abcdef0"))
                .ssh(new SshConfig().allowedCidrs(List.of("10.0.0.0/8")))
                .provisioners(List.of(new Powershell().inline(List.of("Write-Host $env:AMI_WINDOWS_PASSWORD.Length"))))
                .windows(windows);
        return ImageDefinitions.resolve(List.of(c), null, null, CandidatePipelineTest.PROJECT).get(0);
    }

    static List<String> titles(ImageSpec spec) {
        return Pipelines.candidateBuild(spec).stream().map(Step::title).toList();
    }

    @Test
    void stepsOfAWindowsBuild() {
        assertEquals(List.of("Resolving source image", "Preparing SSH key", "Creating temporary security group", "Launching builder",
                "Waiting for SSH", "Provisioning", "Generalising Windows (EC2Launch v2 sysprep)", "Stopping builder",
                "Creating candidate image"), titles(windowsImage(null)));
        assertEquals(List.of("Resolving source image", "Preparing SSH key", "Creating temporary security group", "Launching builder",
                "Waiting for SSH", "Retrieving the Windows password", "Provisioning", "Stopping builder",
                "Creating candidate image"), titles(windowsImage(new WindowsConfig().sysprep(false).getPassword(true))));
    }

    @Test
    void aWindowsBuildWaitsForPowerShellNotCloudInitAndSyspreps() throws Exception {
        WindowsPlatform platform = new WindowsPlatform();
        FakeWindowsSsh ssh = new FakeWindowsSsh();
        ssh.onSysprep = () -> platform.calls.add("guest shuts down");
        ImageSpec spec = windowsImage(null);
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = new BuildContext(spec, platform, log, "b1", CandidatePipelineTest.PROJECT)
                .withSshConnector(ssh.connector());
        StepRunner.run(Pipelines.candidateBuild(spec), c);

        assertEquals("Administrator", c.sshTarget.user());
        assertEquals("$PSVersionTable.PSVersion.ToString()", ssh.commands.get(0), "the readiness probe comes first");
        assertTrue(ssh.commands.stream().noneMatch(cmd -> cmd.contains("cloud-init")), ssh.commands.toString());
        assertTrue(log.messages().contains("Windows is ready: PowerShell 5.1.20348.2849"), log.messages().toString());
        String sysprep = ssh.commands.get(ssh.commands.size() - 1);
        assertTrue(sysprep.contains("& $ec2launch sysprep --shutdown=true"), sysprep);
        String blob = c.publicKey.split(" ")[1];
        assertTrue(sysprep.contains(blob), "the build's temporary key is removed before sysprep");
        assertTrue(log.messages().contains("the connection dropped while sysprep ran, as expected"), log.messages().toString());
        assertEquals(List.of("resolveSource", "importKeyPair", "createSshFirewall", "launch", "awaitRunning",
                "stopOnGuestShutdown", "guest shuts down", "awaitStopped", "stop", "awaitStopped", "createImage",
                "awaitImageAvailable", "tagImage", "terminate", "awaitTerminated", "deleteFirewall", "deleteKeyPair"), platform.calls);
        assertEquals(List.of("ami-3"), platform.live());
        assertTrue(ssh.closed);
    }

    @Test
    void theRetrievedPasswordReachesPowerShellStepsThroughTheLauncherOnly() throws Exception {
        WindowsPlatform platform = new WindowsPlatform();
        platform.passwords.add(Optional.empty());
        platform.passwords.add(Optional.empty());
        String password = "Xy$'k;9(=)Q";
        platform.passwords.add(Optional.of(password));
        FakeWindowsSsh ssh = new FakeWindowsSsh();
        ImageSpec spec = windowsImage(new WindowsConfig().getPassword(true).sysprep(false));
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = new BuildContext(spec, platform, log, "b1", CandidatePipelineTest.PROJECT)
                .withSshConnector(ssh.connector());
        StepRunner.run(Pipelines.candidateBuild(spec), c);

        assertEquals(3, platform.calls.stream().filter("windowsPassword"::equals).count(), "polled until posted");
        String launcher = ssh.written.entrySet().stream().filter(e -> e.getKey().endsWith("-run.ps1"))
                .map(java.util.Map.Entry::getValue).findFirst().orElseThrow();
        assertTrue(launcher.contains("$env:AMI_WINDOWS_PASSWORD = 'Xy$''k;9(=)Q'\r\n"), launcher);
        assertTrue(ssh.commandLines.stream().noneMatch(l -> l.contains(password)), ssh.commandLines.toString());
        assertTrue(log.messages().stream().noneMatch(l -> l.contains(password)), "the password is never logged");
        assertEquals("pw ****", io.github.amimaven.log.Secrets.global().redact("pw " + password),
                "and masked wherever remote output or a message would show it");
        assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("Administrator password retrieved after ")), log.messages().toString());
        assertFalse(platform.calls.contains("stopOnGuestShutdown"), "no sysprep asked for");
        assertTrue(ssh.commands.stream().noneMatch(cmd -> cmd.contains("sysprep")), ssh.commands.toString());
    }

    @Test
    void aPasswordThatNeverComesFailsTheBuildNamingTheSettingAndLeavesNothing() {
        WindowsPlatform platform = new WindowsPlatform();
        ImageSpec base = windowsImage(new WindowsConfig().getPassword(true));
        ImageSpec spec = new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(),
                base.provisioners(), base.tags(), base.nameTemplate(), null, base.timeouts(), List.of(), false,
                new WindowsOptions(true, true, Duration.ofSeconds(1)));
        BuildContext c = new BuildContext(spec, platform, CollectingLog.quiet(), "b1",
                CandidatePipelineTest.PROJECT).withSshConnector(new FakeWindowsSsh().connector());
        PlatformException e = assertThrows(PlatformException.class, () -> StepRunner.run(Pipelines.candidateBuild(spec), c));
        assertTrue(e.getMessage().startsWith("the Windows password was not posted within 1 s (<windows><passwordTimeout>)"),
                e.getMessage());
        assertEquals("Retrieving the Windows password", c.failedStep);
        assertEquals(List.of(), platform.live());
    }

    @Test
    void aFailingSysprepFailsTheBuildAndCleansUp() {
        WindowsPlatform platform = new WindowsPlatform();
        FakeWindowsSsh ssh = new FakeWindowsSsh();
        ssh.sysprepExit = 3;
        ImageSpec spec = windowsImage(null);
        BuildContext c = new BuildContext(spec, platform, CollectingLog.quiet(), "b1",
                CandidatePipelineTest.PROJECT).withSshConnector(ssh.connector());
        PlatformException e = assertThrows(PlatformException.class, () -> StepRunner.run(Pipelines.candidateBuild(spec), c));
        assertTrue(e.getMessage().startsWith("EC2Launch v2 sysprep exited with 3"), e.getMessage());
        assertTrue(e.getMessage().contains("<windows><sysprep>false</sysprep></windows>"), e.getMessage());
        assertFalse(platform.calls.contains("createImage"));
        assertEquals(List.of(), platform.live());
    }

    @Test
    void linuxImagesStillWaitForCloudInit() throws Exception {
        FakePlatform platform = new FakePlatform();
        FakeSsh ssh = new FakeSsh();
        BuildContext c = new BuildContext(CandidatePipelineTest.image(), platform, CollectingLog.quiet(), "b1",
                CandidatePipelineTest.PROJECT).withSshConnector(ssh.connector());
        StepRunner.run(Pipelines.candidateBuild(CandidatePipelineTest.image()), c);
        assertTrue(ssh.commands.get(0).contains("cloud-init status --wait"), ssh.commands.toString());
    }
}
