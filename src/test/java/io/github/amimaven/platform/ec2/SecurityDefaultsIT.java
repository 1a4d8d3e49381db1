package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.remote.SshHostKeyException;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.Views;
import io.github.amimaven.testing.sshd.LoopbackSshd;

/**
 * The security defaults against the EC2 test endpoint, through the real SDK and a real sshd per instance: SSH only
 * from the configured CIDRs, IMDSv2 required, and with {@code <strictHostKeys>} a login only to the host key the
 * instance printed to its console.
 */
class SecurityDefaultsIT extends EndpointTest {

    /** The endpoint's instances are real sshds. */
    @BeforeAll
    static void needsSshd() {
        RequiredTool.sshd();
    }

    static final String REGION = "eu-west-1";
    static final AtomicInteger ACCOUNTS = new AtomicInteger();
    record Account(AccountState state, Ec2Clients clients) implements AutoCloseable {
        Ec2Platform platform() {
            return new Ec2Platform(clients.client(REGION), REGION);
        }

        @Override
        public void close() {
            clients.close();
        }
    }

    static Account account(AccountState.ConsoleHostKeys consoleHostKeys) {
        String accessKey = "AKIDSECURITY" + ACCOUNTS.incrementAndGet();
        AccountState account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(150)).ssh(true, 2222).consoleHostKeys(consoleHostKeys);
        account.seedImage(REGION, "debian-12-amd64-20261101", "136693071363", Instant.parse("2026-11-01T10:00:00Z"));
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
        return new Account(account, new Ec2Clients(new Ec2Settings(REGION, null, null, endpoint.uri(), 4)));
    }

    static ImageSpec image(boolean strictHostKeys, Duration sshTimeout) {
        SshAccess ssh = new SshAccess(LoopbackSshd.defaultUser(), 2222, SshAccess.AddressType.PRIVATE_IP, sshTimeout, null,
                null, List.of("127.0.0.0/8"), null, strictHostKeys);
        return new ImageSpec("app", "ec2", new SourceSpec(null, List.of("136693071363"), "debian-12-*", Map.of(), null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), ssh,
                List.of(new ShellProvisioner("inline", "#!/bin/sh -e\necho provisioned\n".getBytes(StandardCharsets.UTF_8),
                        Map.of(), false, Set.of(0))),
                Map.of(), ImageNamer.DEFAULT_TEMPLATE, null, new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30)));
    }

    record Build(ImageResult result, List<String> log) {
    }

    static Build build(Account account, ImageSpec spec) {
        CollectingLog log = CollectingLog.quiet();
        PlatformProvider provider = new PlatformProvider() {
            @Override
            public Platform platformFor(ImageSpec image) {
                return account.platform();
            }

            @Override
            public void close() {
            }
        };
        List<ImageResult> results = ImageBuilds.run(List.of(spec), Pipelines::candidateBuild, provider, log, "b1",
                new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target")), 1);
        return new Build(results.get(0), log.messages());
    }

    static void assertNothingLeft(Account account) {
        assertEquals(List.of(), account.state().liveResources(REGION));
    }

    @Test
    void strictHostKeysLogsInToTheKeyTheConsolePrinted() {
        try (Account account = account(AccountState.ConsoleHostKeys.REAL)) {
            Build build = build(account, image(true, Duration.ofSeconds(30)));
            assertNull(build.result().failure(), () -> String.join("\n", build.log()));
            String builder = account.state().instances(REGION).get(0).instanceId();
            assertTrue(build.log().stream().anyMatch(l -> l.startsWith("[app] host keys of " + builder + " from its console: SHA256:")
                    && l.endsWith("; SSH accepts only these")), build.log().toString());
            assertTrue(build.log().contains("[app] provisioned"), build.log().toString());
            assertTrue(account.state().requestCounts().getOrDefault("GetConsoleOutput", 0) >= 1);
            assertNothingLeft(account);
        }
    }

    @Test
    void strictHostKeysRefusesAHostKeyTheConsoleDidNotPrint() {
        try (Account account = account(AccountState.ConsoleHostKeys.WRONG)) {
            Build build = build(account, image(true, Duration.ofSeconds(30)));
            Throwable failure = build.result().failure();
            assertTrue(failure instanceof SshHostKeyException, String.valueOf(failure));
            assertTrue(failure.getMessage().matches("host key of \\S+ is SHA256:\\S+ but SHA256:\\S+ was expected; refusing to log in"),
                    failure.getMessage());
            assertTrue(build.log().stream().noneMatch(l -> l.contains("provisioned")), "nothing ran on the machine");
            assertNothingLeft(account);
        }
    }

    @Test
    void strictHostKeysFailsClearlyWhenTheImagePrintsNoFingerprints() {
        try (Account account = account(AccountState.ConsoleHostKeys.NONE)) {
            Build build = build(account, image(true, Duration.ofSeconds(3)));
            Throwable failure = build.result().failure();
            assertTrue(failure instanceof SshHostKeyException, String.valueOf(failure));
            assertTrue(failure.getMessage().endsWith("shows no SSH host key fingerprints after 3 s (cloud-init prints them at"
                    + " first boot): raise <timeouts><ssh>, or set <strictHostKeys>false</strictHostKeys> for an image that"
                    + " does not print them"), failure.getMessage());
            assertNothingLeft(account);
        }
    }

    @Test
    void withoutStrictHostKeysTheConsoleIsNotRead() {
        try (Account account = account(AccountState.ConsoleHostKeys.WRONG)) {
            Build build = build(account, image(false, Duration.ofSeconds(30)));
            assertNull(build.result().failure(), () -> String.join("\n", build.log()));
            assertEquals(0, account.state().requestCounts().getOrDefault("GetConsoleOutput", 0));
        }
    }

    @Test
    void theTemporarySecurityGroupAdmitsSshFromTheConfiguredCidrsOnly() {
        try (Account account = account(AccountState.ConsoleHostKeys.REAL)) {
            Ec2Platform platform = account.platform();
            String group = platform.createSshFirewall("ami-app-b1", List.of("203.0.113.7/32", "2001:db8::/64"), 2222,
                    Optional.empty(), Map.of("ami:build-id", "b1")).orElseThrow();
            Views.SecurityGroup sg = account.state().securityGroups(REGION).stream()
                    .filter(g -> g.groupId().equals(group)).findFirst().orElseThrow();
            assertEquals(List.of(new Views.Rule("tcp", 2222, 2222, "203.0.113.7/32", null),
                    new Views.Rule("tcp", 2222, 2222, "2001:db8::/64", null)), sg.ingress());
            platform.deleteFirewall(group);
            assertNothingLeft(account);
        }
    }

    @Test
    void instancesRequireImdsV2UnlessTheImageSaysOtherwise() {
        try (Account account = account(AccountState.ConsoleHostKeys.REAL)) {
            Ec2Platform platform = account.platform();
            String source = platform.resolveSource(new SourceSpec(null, List.of("136693071363"), "debian-12-*", Map.of(), null)).id();
            String required = platform.launch(new LaunchSpec(source, "t3.micro", null, null, List.of(), null, null, null, null,
                    null, true, null, Map.of()));
            String optional = platform.launch(new LaunchSpec(source, "t3.micro", null, null, List.of(), null, null, null, null,
                    null, false, null, Map.of()));
            Map<String, String> tokens = new java.util.HashMap<>();
            account.state().instances(REGION).forEach(i -> tokens.put(i.instanceId(), i.httpTokens()));
            assertEquals("required", tokens.get(required));
            assertEquals("optional", tokens.get(optional));
            platform.terminate(required);
            platform.terminate(optional);
        }
    }
}
