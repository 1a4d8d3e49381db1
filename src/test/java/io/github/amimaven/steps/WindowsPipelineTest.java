package io.github.amimaven.steps;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.WindowsOptions;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.StepRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;
import io.github.amimaven.testing.ScriptedSsh;

/** The Windows candidate pipeline against an in-memory platform and a scripted Windows SSH session. */
class WindowsPipelineTest {

    /**
     * A Windows machine's OpenSSH session as far as the pipeline can tell: PowerShell answers the readiness probe with
     * a version, and EC2Launch's sysprep runs {@code onSysprep} (the guest shutting down) and drops the connection, or
     * exits with {@code sysprepExit} when that is not null.
     */
    static ScriptedSsh windowsGuest(Runnable onSysprep, Integer sysprepExit) {
        return new ScriptedSsh(script -> {
            if (script.contains("$PSVersionTable")) {
                return ScriptedSsh.Reply.out("5.1.20348.2849");
            }
            if (script.contains("sysprep --shutdown=true")) {
                onSysprep.run();
                if (sysprepExit != null) {
                    return new ScriptedSsh.Reply(sysprepExit, "running EC2Launch v2 sysprep", "");
                }
                throw new SshDisconnectedException("connection closed by the machine");
            }
            return ScriptedSsh.Reply.exit(0);
        });
    }

    static ScriptedSsh windowsGuest() {
        return windowsGuest(() -> { }, null);
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
        FakePlatform platform = new FakePlatform();
        ScriptedSsh ssh = windowsGuest(() -> platform.calls.add("guest shuts down"), null);
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
        FakePlatform platform = new FakePlatform();
        platform.windowsPasswords.add(Optional.empty());
        platform.windowsPasswords.add(Optional.empty());
        String password = "Xy$'k;9(=)Q";
        platform.windowsPasswords.add(Optional.of(password));
        ScriptedSsh ssh = windowsGuest();
        ImageSpec spec = windowsImage(new WindowsConfig().getPassword(true).sysprep(false));
        CollectingLog log = CollectingLog.quiet();
        BuildContext c = new BuildContext(spec, platform, log, "b1", CandidatePipelineTest.PROJECT)
                .withSshConnector(ssh.connector());
        StepRunner.run(Pipelines.candidateBuild(spec), c);

        assertEquals(3, platform.calls.stream().filter("windowsPassword"::equals).count(), "polled until posted");
        String launcher = ssh.files.keySet().stream().filter(path -> path.endsWith("-run.ps1"))
                .map(ssh::fileText).findFirst().orElseThrow();
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
        FakePlatform platform = new FakePlatform();
        ImageSpec base = windowsImage(new WindowsConfig().getPassword(true));
        ImageSpec spec = new ImageSpec(base.name(), base.platform(), base.source(), base.launch(), base.ssh(),
                base.provisioners(), base.tags(), base.nameTemplate(), null, base.timeouts(), List.of(), false,
                new WindowsOptions(true, true, Duration.ofSeconds(1)));
        BuildContext c = new BuildContext(spec, platform, CollectingLog.quiet(), "b1",
                CandidatePipelineTest.PROJECT).withSshConnector(windowsGuest().connector());
        PlatformException e = assertThrows(PlatformException.class, () -> StepRunner.run(Pipelines.candidateBuild(spec), c));
        assertTrue(e.getMessage().startsWith("the Windows password was not posted within 1 s (<windows><passwordTimeout>)"),
                e.getMessage());
        assertEquals("Retrieving the Windows password", c.failedStep);
        assertEquals(List.of(), platform.live());
    }

    @Test
    void aFailingSysprepFailsTheBuildAndCleansUp() {
        FakePlatform platform = new FakePlatform();
        ScriptedSsh ssh = windowsGuest(() -> { }, 3);
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
        ScriptedSsh ssh = new ScriptedSsh();
        BuildContext c = new BuildContext(CandidatePipelineTest.image(), platform, CollectingLog.quiet(), "b1",
                CandidatePipelineTest.PROJECT).withSshConnector(ssh.connector());
        StepRunner.run(Pipelines.candidateBuild(CandidatePipelineTest.image()), c);
        assertTrue(ssh.commands.get(0).contains("cloud-init status --wait"), ssh.commands.toString());
    }
}
