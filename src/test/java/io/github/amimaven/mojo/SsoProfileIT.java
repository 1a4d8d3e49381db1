package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.testing.HostileInput;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.Ec2TestEndpoint;
import io.github.amimaven.testing.ec2.Ec2TestEndpoint.SsoRoleCredentialsRequest;

/**
 * A goal with an IAM Identity Center profile ({@code sso_session}): the real AWS SDK reads the cached SSO token,
 * asks the portal (the test endpoint) for the role's credentials with it, and the goal's EC2 calls are signed with
 * what the portal returned. Each goal runs in a JVM of its own whose {@code HOME} is a temporary directory: the SDK
 * reads the token cache under {@code $HOME/.aws/sso/cache}, and nothing of the machine's own AWS setup is seen.
 */
class SsoProfileIT {

    static final String REGION = "eu-west-1";
    static final String SESSION = "corp";
    static final String TOKEN = "sso-access-token-from-aws-sso-login";
    static final String LOG_IN = "The IAM Identity Center (SSO) login of AWS profile sso has expired or was never made:"
            + " run aws sso login --profile sso and build again.";

    static Ec2TestEndpoint endpoint;

    @TempDir
    Path home;
    AccountState ssoAccount;

    @BeforeAll
    static void startEndpoint() throws IOException {
        endpoint = Ec2TestEndpoint.start();
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.close();
    }

    @BeforeEach
    void ssoProfile() throws Exception {
        endpoint.reset();
        ssoAccount = endpoint.account("ASIASSOPORTALROLE");
        Path aws = Files.createDirectories(home.resolve(".aws"));
        Files.writeString(aws.resolve("config"), "[profile sso]\nsso_session = " + SESSION + "\nsso_account_id = "
                + ssoAccount.accountId() + "\nsso_role_name = ImageBuilder\nregion = " + REGION + "\n\n"
                + "[sso-session " + SESSION + "]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = " + REGION
                + "\nsso_registration_scopes = sso:account:access\n");
        Files.writeString(aws.resolve("credentials"), "");
    }

    /** The token {@code aws sso login} caches for the session: a file named by the SHA-1 of the session's name. */
    void cachedToken(Instant expiresAt) throws Exception {
        Path cache = Files.createDirectories(home.resolve(".aws/sso/cache"));
        String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest(SESSION.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(cache.resolve(name + ".json"), "{\"accessToken\": \"" + TOKEN + "\", \"expiresAt\": \""
                + expiresAt + "\", \"region\": \"" + REGION + "\", \"startUrl\": \"https://corp.awsapps.com/start\"}");
    }

    record Goal(int exitCode, String output) {
    }

    /** {@code ami:clean-orphans -Dami.dryRun} with {@code configuration} besides the region and the endpoint. */
    Goal cleanOrphans(String configuration) throws Exception {
        return cleanOrphans(configuration, Map.of());
    }

    Goal cleanOrphans(String configuration, Map<String, String> environment) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", System.getProperty("java.class.path"), CleanOrphansMain.class.getName(),
                Files.createDirectories(home.resolve("project")).toString(), "<region>" + REGION + "</region><endpoint>"
                        + endpoint.uri() + "</endpoint><dryRun>true</dryRun><maxAttempts>2</maxAttempts>"
                        + "<resourceLifetime>6h</resourceLifetime>" + configuration)
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve(".aws/config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/credentials").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        // the SSO portal client is the SDK's own, which <endpoint> does not reach: the SDK's setting for it does
        env.put("AWS_ENDPOINT_URL_SSO", endpoint.uri().toString());
        env.putAll(environment);
        Process goal = pb.start();
        byte[] output = goal.getInputStream().readAllBytes();
        assertTrue(goal.waitFor(60, TimeUnit.SECONDS));
        return new Goal(goal.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    @Test
    void theGoalRunsWithTheCredentialsThePortalReturnedForTheCachedToken() throws Exception {
        cachedToken(Instant.now().plus(Duration.ofHours(2)));
        Goal goal = cleanOrphans("<profile>sso</profile>");
        assertEquals(0, goal.exitCode(), goal.output());
        assertEquals(Set.of(new SsoRoleCredentialsRequest(ssoAccount.accountId(), "ImageBuilder", TOKEN)),
                Set.copyOf(endpoint.ssoRoleCredentialsRequests()));
        // the endpoint's accounts are its callers' access keys: these calls were signed with the portal's key
        assertTrue(ssoAccount.requestCount("DescribeInstances") > 0, ssoAccount.requestCounts().toString());
    }

    @Test
    void aRoleIsAssumedWithTheSsoCredentialsAndTheGoalRunsAsTheRole() throws Exception {
        cachedToken(Instant.now().plus(Duration.ofHours(2)));
        AccountState roleAccount = endpoint.account("AKIDIMAGEBUILDERROLE");
        Goal goal = cleanOrphans("<profile>sso</profile><roleArn>arn:aws:iam::" + roleAccount.accountId()
                + ":role/image-builder</roleArn>");
        assertEquals(0, goal.exitCode(), goal.output());
        assertEquals(Set.of(new SsoRoleCredentialsRequest(ssoAccount.accountId(), "ImageBuilder", TOKEN)),
                Set.copyOf(endpoint.ssoRoleCredentialsRequests()));
        assertEquals(Set.of("GetRoleCredentials", "AssumeRole"), ssoAccount.requestCounts().keySet(),
                "the SSO credentials only assumed the role");
        assertTrue(roleAccount.requestCount("DescribeInstances") > 0, roleAccount.requestCounts().toString());
    }

    @Test
    @HostileInput
    void anExpiredTokenSaysToLogInAgain() throws Exception {
        cachedToken(Instant.now().minus(Duration.ofMinutes(5)));
        assertSaysToLogIn(cleanOrphans("<profile>sso</profile>"));
    }

    @Test
    @HostileInput
    void noCachedTokenSaysToLogIn() throws Exception {
        assertSaysToLogIn(cleanOrphans("<profile>sso</profile>"));
    }

    @Test
    @HostileInput
    void anExpiredTokenOfTheDefaultChainsProfileSaysToLogInAgain() throws Exception {
        cachedToken(Instant.now().minus(Duration.ofMinutes(5)));
        assertSaysToLogIn(cleanOrphans("", Map.of("AWS_PROFILE", "sso")));
    }

    @Test
    @HostileInput
    void aRoleTheUserMayNotHaveIsNamedWithThePortalsAnswer() throws Exception {
        cachedToken(Instant.now().plus(Duration.ofHours(2)));
        Path config = home.resolve(".aws/config");
        Files.writeString(config, Files.readString(config).replace(ssoAccount.accountId(), "111122223333"));
        Goal goal = cleanOrphans("<profile>sso</profile>");
        assertEquals(1, goal.exitCode(), goal.output());
        assertTrue(goal.output().contains("getting the IAM Identity Center (SSO) credentials of AWS profile sso failed:"
                + " ForbiddenException: No access\n"), goal.output());
        assertEquals(List.of(new SsoRoleCredentialsRequest("111122223333", "ImageBuilder", TOKEN)),
                endpoint.ssoRoleCredentialsRequests());
    }

    @Test
    @HostileInput
    void anExpiredTokenUnderARoleSaysToLogInAgain() throws Exception {
        cachedToken(Instant.now().minus(Duration.ofMinutes(5)));
        AccountState roleAccount = endpoint.account("AKIDIMAGEBUILDERROLE");
        Goal goal = cleanOrphans("<profile>sso</profile><roleArn>arn:aws:iam::" + roleAccount.accountId()
                + ":role/image-builder</roleArn>");
        // with a role, the credentials that assume it are first needed by the first call
        assertEquals(1, goal.exitCode(), goal.output());
        assertTrue(goal.output().endsWith("\n  - cannot list the resources in ec2 " + REGION + ": " + LOG_IN + "\n"),
                goal.output());
        assertEquals(List.of(), endpoint.ssoRoleCredentialsRequests());
        assertEquals(Map.of(), roleAccount.requestCounts());
    }

    @Test
    @HostileInput
    void aTokenThePortalRefusesSaysToLogInAgain() throws Exception {
        cachedToken(Instant.now().plus(Duration.ofHours(2)));
        endpoint.revokeSsoToken(TOKEN);
        Goal goal = cleanOrphans("<profile>sso</profile>");
        assertSaysToLogIn(goal, " (the SSO portal refused its token)");
        assertEquals(Set.of(new SsoRoleCredentialsRequest(ssoAccount.accountId(), "ImageBuilder", TOKEN)),
                Set.copyOf(endpoint.ssoRoleCredentialsRequests()));
    }

    void assertSaysToLogIn(Goal goal) {
        assertSaysToLogIn(goal, "");
        assertEquals(List.of(), endpoint.ssoRoleCredentialsRequests());
    }

    void assertSaysToLogIn(Goal goal, String why) {
        assertEquals(1, goal.exitCode(), goal.output());
        assertTrue(goal.output().endsWith("\n[ERROR] " + LOG_IN.replace(": run", why + ": run") + "\n"), goal.output());
        assertEquals(Map.of(), ssoAccount.requestCounts());
    }
}
