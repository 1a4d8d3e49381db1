package io.github.amimaven.steps;

import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.pipeline.StepRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.github.amimaven.config.ImageConfig;
import io.github.amimaven.config.ImageDefinitions;
import io.github.amimaven.provision.Powershell;
import io.github.amimaven.config.SourceConfig;
import io.github.amimaven.config.SshConfig;
import io.github.amimaven.config.WindowsConfig;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.platform.ec2.Ec2Platform;
import io.github.amimaven.platform.ec2.Ec2Settings;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ScriptedSsh;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.Views;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

/**
 * A Windows candidate build through the real AWS SDK against the EC2 test endpoint. The machine's side is the
 * only stand-in (no Windows here): a scripted OpenSSH session that answers like Windows and, on EC2Launch's
 * sysprep, shuts the endpoint's instance down from inside, as Windows would. What the endpoint proves: the default
 * user data handed to RunInstances, the builder told to stop rather than terminate on that shutdown, the
 * password posted late by GetPasswordData, encrypted with the imported key and decrypted by the build, and
 * nothing left but the image.
 */
class Ec2WindowsBuildIT extends EndpointTest {

    static final String REGION = "eu-west-1";
    static final String AMAZON = "801119661308";
    static final AtomicInteger ACCOUNTS = new AtomicInteger();
    static AccountState account() {
        String accessKey = "AKIDWINDOWS" + ACCOUNTS.incrementAndGet();
        AccountState account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(150)).delay(AccountState.Transition.WINDOWS_PASSWORD, Duration.ofMillis(1500));
        account.seedImage(new AccountState.ImageSeed(REGION, "Windows_Server-2022-English-Full-Base-2026.01.14")
                .ownerId(AMAZON).platform("windows").rootDevice("/dev/sda1", 30).creationDate(Instant.parse("2026-01-14T00:00:00Z")));
        account.seedImage(new AccountState.ImageSeed(REGION, "al2023-ami-2023.6.20260114.0-kernel-6.1-x86_64").ownerId(AMAZON));
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
        return account;
    }

    static Ec2Clients clients() {
        return new Ec2Clients(new Ec2Settings(REGION, null, null, endpoint.uri(), 4));
    }

    static ImageSpec windowsImage() {
        ImageConfig c = new ImageConfig().name("iis").os("windows")
                .source(new SourceConfig().owners(List.of(AMAZON)).name("Windows_Server-2022-English-Full-Base-*"))
                .ssh(new SshConfig().allowedCidrs(List.of("127.0.0.0/8")))
                .windows(new WindowsConfig().getPassword(true))
                .provisioners(List.of(new Powershell().inline(List.of("Install-WindowsFeature Web-Server"))));
        return ImageDefinitions.resolve(List.of(c), null, null, CandidatePipelineTest.PROJECT).get(0);
    }

    @Test
    void buildsAGeneralisedWindowsCandidate() throws Exception {
        AccountState account = account();
        ImageSpec spec = windowsImage();
        CollectingLog log = new CollectingLog();
        try (Ec2Clients clients = clients()) {
            Ec2Platform platform = new Ec2Platform(clients.client(REGION), REGION);
            BuildContext c = new BuildContext(spec, platform, log, "b1", CandidatePipelineTest.PROJECT);
            ScriptedSsh windows = WindowsPipelineTest.windowsGuest(() -> account.guestShutdown(REGION, c.machineId), null);
            c.withSshConnector(windows.connector());
            StepRunner.run(Pipelines.candidateBuild(spec), c);

            // what RunInstances was given, as EC2 reports it back
            String userData = clients.client(REGION).describeInstanceAttribute(r -> r.instanceId(c.machineId)
                    .attribute(InstanceAttributeName.USER_DATA)).userData().value();
            assertEquals(WindowsScripts.defaultUserData(22),
                    new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8));

            Views.Instance builder = account.instances(REGION).stream()
                    .filter(i -> i.instanceId().equals(c.machineId)).findFirst().orElseThrow();
            assertEquals("stop", builder.shutdownBehavior(), "switched from terminate before sysprep");
            assertEquals("terminated", builder.state(), "removed after the capture");

            // the password: posted late, polled for, decrypted with the build's key, handed over, never logged
            String password = account.windowsPassword(REGION, c.machineId).orElseThrow();
            assertEquals(password, c.windowsPassword);
            assertTrue(account.requestCount("GetPasswordData") >= 2, "polled while EC2 had no password yet");
            String launcher = windows.files.keySet().stream().filter(path -> path.endsWith("-run.ps1"))
                    .map(windows::fileText).findFirst().orElseThrow();
            assertTrue(launcher.contains("$env:AMI_WINDOWS_PASSWORD = '" + password.replace("'", "''") + "'\r\n"), launcher);
            assertTrue(windows.commandLines.stream().noneMatch(l -> l.contains(password)));
            assertTrue(!log.text().contains(password), "the password is never logged");

            // sysprep ran last over SSH, removing the build's key, and the image was taken from the stopped builder
            String sysprep = windows.commands.get(windows.commands.size() - 1);
            assertTrue(sysprep.contains("& $ec2launch sysprep --shutdown=true"), sysprep);
            assertTrue(sysprep.contains(c.publicKey.split(" ")[1]), sysprep);
            assertEquals(1, account.requestCount("ModifyInstanceAttribute"));
            String text = log.text();
            assertTrue(text.indexOf("generalised and stopped after") < text.indexOf("image " + c.imageId + " ("), text);

            List<Views.Image> own = account.images(REGION).stream().filter(i -> !AMAZON.equals(i.ownerId())).toList();
            assertEquals(1, own.size());
            assertEquals("available", own.get(0).state());
            assertEquals(c.machineId, own.get(0).sourceInstanceId());
            assertEquals(List.of(), account.liveResources(REGION));
        }
    }

    @Test
    void aGuestShutdownEndsABuilderUnlessItWasToldToStop() throws Exception {
        AccountState account = account();
        try (Ec2Clients clients = clients()) {
            Ec2Platform platform = new Ec2Platform(clients.client(REGION), REGION);
            String source = platform.resolveSource(windowsImage().source()).id();
            String key = platform.importKeyPair("k", SshKeys.generate("k").publicKeyOpenSsh(), Map.of());
            LaunchSpec launch = new LaunchSpec(source, "t3.medium", key, null, List.of(), null, null, null, null, null,
                    true, null, Map.of());

            String ended = platform.launch(launch);
            platform.awaitRunning(ended, Duration.ofSeconds(30));
            account.guestShutdown(REGION, ended);
            platform.awaitTerminated(ended, Duration.ofSeconds(30));

            String kept = platform.launch(launch);
            platform.awaitRunning(kept, Duration.ofSeconds(30));
            platform.stopOnGuestShutdown(kept);
            account.guestShutdown(REGION, kept);
            platform.awaitStopped(kept, Duration.ofSeconds(30));

            platform.terminate(kept);
            platform.deleteKeyPair(key);
            platform.awaitTerminated(kept, Duration.ofSeconds(30));
        }
    }

    @Test
    void passwordsComeOnlyForWindowsInstancesAndOnlyAfterTheirFirstBoot() throws Exception {
        AccountState account = account();
        try (Ec2Clients clients = clients()) {
            Ec2Platform platform = new Ec2Platform(clients.client(REGION), REGION);
            SshKeys.GeneratedKey key = SshKeys.generate("k");
            String keyName = platform.importKeyPair("k", key.publicKeyOpenSsh(), Map.of());
            String windowsSource = platform.resolveSource(windowsImage().source()).id();
            String linuxSource = platform.resolveSource(new io.github.amimaven.model.SourceSpec(null, List.of(AMAZON),
                    "al2023-*", Map.of(), null)).id();
            String win = platform.launch(new LaunchSpec(windowsSource, "t3.medium", keyName, null, List.of(), null, null,
                    null, null, null, true, null, Map.of()));
            String linux = platform.launch(new LaunchSpec(linuxSource, "t3.micro", keyName, null, List.of(), null, null,
                    null, null, null, true, null, Map.of()));
            platform.awaitRunning(win, Duration.ofSeconds(30));
            platform.awaitRunning(linux, Duration.ofSeconds(30));
            assertEquals(Optional.empty(), platform.windowsPassword(win, key.privateKeyPem()), "not posted yet");
            Thread.sleep(1600);
            String password = platform.windowsPassword(win, key.privateKeyPem()).orElseThrow();
            assertEquals(account.windowsPassword(REGION, win).orElseThrow(), password);
            assertEquals(32, password.length());
            assertEquals(Optional.of(password), platform.windowsPassword(win, key.privateKeyPem()), "the same password again");
            assertEquals(Optional.empty(), platform.windowsPassword(linux, key.privateKeyPem()), "Linux has none");
            platform.terminate(win);
            platform.terminate(linux);
            platform.deleteKeyPair(keyName);
        }
    }
}
