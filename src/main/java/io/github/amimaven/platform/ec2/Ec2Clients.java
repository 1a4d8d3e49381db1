package io.github.amimaven.platform.ec2;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The one place EC2 clients are built: credentials (default chain, profile, assumed role), endpoint override, and
 * the SDK's standard retry strategy (exponential backoff with jitter, throttling-aware) instead of hand-made loops.
 */
public final class Ec2Clients implements AutoCloseable {

    private final Ec2Settings settings;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final StsClient sts;
    private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();

    public Ec2Clients(Ec2Settings settings) {
        this.settings = settings;
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
        AwsCredentialsProvider base = settings.profile() != null
                ? ProfileCredentialsProvider.create(settings.profile())
                : DefaultCredentialsProvider.builder().build();
        if (settings.roleArn() != null) {
            this.sts = StsClient.builder().region(Region.of(settings.region())).credentialsProvider(base)
                    .httpClient(http).overrideConfiguration(overrides()).build();
            this.credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> r.roleArn(settings.roleArn()).roleSessionName("ami-maven-plugin"))
                    .build();
        } else {
            this.sts = null;
            this.credentials = base;
        }
    }

    public Ec2Settings settings() {
        return settings;
    }

    /**
     * Checks that credentials can be found, without calling EC2; the message says where the SDK looked and how
     * to fix it.
     */
    public void checkCredentials() {
        try {
            if (settings.roleArn() == null) {
                credentials.resolveCredentials();
            }
        } catch (SdkClientException e) {
            throw new Ec2CredentialsException("No AWS credentials found" + (settings.profile() != null
                    ? " for <profile>" + settings.profile() + "</profile>" : "")
                    + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile of ~/.aws/config in <profile>"
                    + " (-Dami.profile), or run where an instance role or SSO session provides them.");
        }
    }

    public Ec2Client client(String region) {
        return clients.computeIfAbsent(region, r -> {
            var builder = Ec2Client.builder()
                    .region(Region.of(r))
                    .credentialsProvider(credentials)
                    .httpClient(http)
                    .overrideConfiguration(overrides());
            if (settings.endpoint() != null) {
                builder.endpointOverride(settings.endpoint());
            }
            return builder.build();
        });
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .build())
                .build();
    }

    @Override
    public void close() {
        clients.values().forEach(Ec2Client::close);
        if (sts != null) {
            sts.close();
        }
        if (credentials instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing to release that matters at the end of a build
            }
        }
        http.close();
    }

    /** Credentials are missing: the user's environment, not the plugin, needs fixing. */
    public static final class Ec2CredentialsException extends RuntimeException {
        public Ec2CredentialsException(String message) {
            super(message);
        }
    }
}
