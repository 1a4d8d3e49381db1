package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.deploy.ImageCopy;
import io.github.amimaven.deploy.ImageRecord;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.AccountState.BrokenAnswer;
import io.github.amimaven.testing.ec2.EndpointTest;

/**
 * Every way the plugin turns what the SDK throws into a message, through the real SDK (EC2, SSM, STS) against the
 * test endpoint answering the call as something in between EC2 and the client might: an HTML error page, an empty
 * error, no answer at all, a body cut off. Each must fail with a {@link PlatformException} (no NullPointerException)
 * whose message names the call, the HTTP status when there was one, where the answer came from, the attempts the
 * SDK's retries made, and never says "null".
 */
class UnexpectedAnswersIT extends EndpointTest {

    static final String REGION = "ap-southeast-2";
    static final String IMAGE = "ami-0123456789abcdef0";
    static final String INSTANCE = "i-0123456789abcdef0";
    static final AtomicInteger ACCOUNTS = new AtomicInteger();

    /** An answer and the HTTP status it comes with (0: none). */
    enum Answer {
        HTML_500(BrokenAnswer.HTML, 500),
        EMPTY_502(BrokenAnswer.EMPTY, 502),
        RESET(BrokenAnswer.RESET, 0),
        TRUNCATED_200(BrokenAnswer.TRUNCATED, 200),
        TRUNCATED_ERROR_500(BrokenAnswer.TRUNCATED, 500);

        final BrokenAnswer answer;
        final int status;

        Answer(BrokenAnswer answer, int status) {
            this.answer = answer;
            this.status = status;
        }

        /** The SDK retries 5xx answers and lost connections; a body it cannot read after a 200 it need not. */
        boolean retried() {
            return status != 200;
        }
    }

    /** The clients of one case, on a fresh account. */
    static final class Fixture {
        final AccountState account;
        final Ec2Clients clients;
        final Ec2Platform ec2;
        final Ec2ReleasePlatform release;

        Fixture(AccountState account, Ec2Clients clients) {
            this.account = account;
            this.clients = clients;
            this.ec2 = new Ec2Platform(clients.client(REGION), REGION);
            this.release = new Ec2ReleasePlatform(clients, REGION);
        }

        String role() {
            return "arn:aws:iam::" + account.accountId() + ":role/builder";
        }
    }

    @FunctionalInterface
    interface Work {
        void run(Fixture f) throws Exception;
    }

    /**
     * One way a call's failure reaches a message: {@code action} is the call the endpoint answers badly, {@code named}
     * what the message must name (the call; for a profile's role, which the SDK assumes on its own, the profile), and
     * {@code endpointKnown} is false where only the SDK knows where the call went.
     */
    record Route(String name, String action, String named, boolean endpointKnown, Work work) {
        Route(String name, String action, Work work) {
            this(name, action, action, true, work);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("a call (CreateImage)", "CreateImage",
                f -> f.ec2.createImage(INSTANCE, "web-20260101-000000", "web", Map.of("Team", "platform"))));
        routes.add(new Route("a delete that takes gone for done (TerminateInstances)", "TerminateInstances",
                f -> f.ec2.terminate(INSTANCE)));
        routes.add(new Route("a describe that takes gone for absent (DescribeImages)", "DescribeImages",
                f -> f.ec2.deleteImage(IMAGE)));
        routes.add(new Route("the instance waiter (DescribeInstances)", "DescribeInstances",
                f -> f.ec2.awaitRunning(INSTANCE, Duration.ofSeconds(30))));
        routes.add(new Route("the image waiter (DescribeImages)", "DescribeImages",
                f -> f.ec2.awaitImageAvailable(IMAGE, Duration.ofSeconds(30))));
        routes.add(new Route("a security group waited out while in use (DeleteSecurityGroup)", "DeleteSecurityGroup",
                f -> f.ec2.deleteFirewall("sg-0123456789abcdef0")));
        routes.add(new Route("deploy: a copy (CopyImage)", "CopyImage", f -> f.release.copy(new ImageCopy(REGION, IMAGE,
                "us-east-1", "web-20260101-000000", "web", null, false, Map.of(), "token-1"))));
        routes.add(new Route("deploy: sharing, which reads what is shared first (DescribeImageAttribute)",
                "DescribeImageAttribute",
                f -> f.release.share(REGION, new ImageRecord(IMAGE, "web", null, "available", null, Map.of(), List.of(),
                        false), new ReleaseSpec.Sharing(List.of("444455556666"), List.of(), List.of(), false))));
        routes.add(new Route("deploy: a launch template (DescribeLaunchTemplates)", "DescribeLaunchTemplates",
                f -> f.release.newLaunchTemplateVersion(REGION, new ReleaseSpec.LaunchTemplateTarget(null, "web", REGION,
                        false), IMAGE, "web")));
        routes.add(new Route("deploy: an SSM parameter (PutParameter)", "PutParameter",
                f -> f.release.putParameter(REGION, "/images/web", IMAGE)));
        routes.add(new Route("the build's role (AssumeRole)", "AssumeRole", f -> {
            try (Ec2Clients role = new Ec2Clients(new Ec2Settings(REGION, null, f.role(), endpoint.uri(), 3))) {
                new Ec2Platform(role.client(REGION), REGION).createImage(INSTANCE, "web", "web", Map.of());
            }
        }));
        routes.add(new Route("deploy: another account's role (AssumeRole)", "AssumeRole",
                f -> f.release.asRole(f.role()).findOwnByName("us-east-1", "web")));
        routes.add(new Route("a profile's role (checking the credentials)", "AssumeRole", "<profile>builder</profile>", false,
                f -> {
                    try (Ec2Clients profile = new Ec2Clients(new Ec2Settings(REGION, "builder", null, endpoint.uri(), 3))) {
                        profile.checkCredentials();
                    }
                }));
        return routes;
    }

    static Stream<Arguments> cases() {
        return routes().stream().flatMap(p -> Stream.of(Answer.values()).map(a -> Arguments.of(p, a)));
    }

    @TempDir
    Path home;
    final Map<String, String> savedProperties = new HashMap<>();

    @AfterEach
    void restoreProperties() {
        savedProperties.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    void setProperty(String name, String value) {
        savedProperties.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    /**
     * A fresh account, used by the SDK through the default credential chain, and a profile {@code builder} whose
     * role the SDK assumes with the account's key, from the endpoint.
     */
    Fixture fixture() throws IOException {
        String accessKey = "AKIDANSWERS" + ACCOUNTS.incrementAndGet();
        AccountState account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(100));
        setProperty("aws.accessKeyId", accessKey);
        setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        setProperty("aws.sessionToken", ItCredentials.sessionToken());
        Path config = Files.writeString(home.resolve("config"), "[profile base]\naws_access_key_id = "
                + accessKey + "\naws_secret_access_key = " + ItCredentials.secretKey() + "\n\n[profile builder]\nrole_arn = arn:aws:iam::"
                + account.accountId() + ":role/builder\nsource_profile = base\nregion = " + REGION + "\n");
        setProperty("aws.configFile", config.toString());
        setProperty("aws.sharedCredentialsFile", Files.writeString(home.resolve("credentials"), "").toString());
        // where the STS client the SDK builds for a profile's role goes
        setProperty("aws.endpointUrlSts", endpoint.uri().toString());
        return new Fixture(account, new Ec2Clients(new Ec2Settings(REGION, null, null, endpoint.uri(), 3)));
    }

    @ParameterizedTest(name = "{0}, answered {1}")
    @MethodSource("cases")
    void anUnexpectedAnswerFailsNamingTheCallTheStatusAndTheEndpoint(Route route, Answer answer) throws Exception {
        Fixture f = fixture();
        try (f.clients) {
            f.account.config().brokenAnswer(route.action(), answer.answer, answer.status, 0);
            PlatformException e = assertThrows(PlatformException.class, () -> route.work().run(f));
            String message = e.getMessage();
            assertTrue(f.account.failedCounts().getOrDefault(route.action(), 0) > 0,
                    "the endpoint never answered " + route.action() + " badly: " + message);
            assertTrue(message.contains(route.named()), "names " + route.named() + ": " + message);
            if (route.endpointKnown()) {
                assertTrue(message.contains("from " + endpoint.uri()), "names the endpoint: " + message);
            }
            if (answer.status != 0) {
                assertTrue(message.contains("HTTP " + answer.status + " from "), "names the status: " + message);
            } else {
                assertTrue(message.contains("no answer from "), message);
            }
            if (answer.retried()) {
                // a profile's role is assumed by a client the SDK builds with its own retries
                assertTrue(route.endpointKnown() ? message.contains(", after 3 attempts")
                        : message.matches(".*, after \\d+ attempts$"), "says the SDK retried: " + message);
            }
            assertFalse(message.contains("null"), message);
        }
    }
}
