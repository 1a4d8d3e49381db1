package io.github.amimaven.platform.ec2;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.platform.MissingCredentialsException;
import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The one place EC2 clients are built: credentials (default chain, profile, assumed role), endpoint override, and
 * the SDK's standard retry strategy (exponential backoff with jitter, throttling-aware) instead of hand-made loops.
 */
public final class Ec2Clients implements AutoCloseable {

    private final Ec2Settings settings;
    private final SdkHttpClient http;
    private final boolean ownsHttp;
    private final AwsCredentialsProvider credentials;
    private final StsClient sts;
    private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();
    private final Map<String, SsmClient> ssmClients = new ConcurrentHashMap<>();
    private final Map<String, AutoScalingClient> autoScalingClients = new ConcurrentHashMap<>();
    private final Map<String, Ec2Clients> roles = new ConcurrentHashMap<>();

    public Ec2Clients(Ec2Settings settings) {
        this(settings, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
                .build(), true, registering(SsoCredentials.of(settings.profile() != null
                        ? ProfileCredentialsProvider.create(settings.profile())
                        : DefaultCredentialsProvider.builder().build(), settings.profile())));
    }

    private Ec2Clients(Ec2Settings settings, SdkHttpClient http, boolean ownsHttp, AwsCredentialsProvider base) {
        this.settings = settings;
        this.http = http;
        this.ownsHttp = ownsHttp;
        if (settings.roleArn() != null) {
            var stsBuilder = StsClient.builder().region(Region.of(settings.region())).credentialsProvider(base)
                    .httpClient(http).overrideConfiguration(overrides());
            if (settings.endpoint() != null) {
                // an endpoint override stands for all of AWS: a VPC endpoint setup or a test endpoint answers STS too
                stsBuilder.endpointOverride(settings.endpoint());
            }
            this.sts = stsBuilder.build();
            this.credentials = registering(new AssumedRole(StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                    .refreshRequest(r -> r.roleArn(settings.roleArn()).roleSessionName("ami-maven-plugin"))
                    .build(), settings.roleArn(), settings.region(),
                    AwsFailures.endpoint(sts.serviceClientConfiguration(), StsClient.serviceMetadata())));
        } else {
            this.sts = null;
            this.credentials = base;
        }
    }

    /**
     * Clients acting in another account: the role is assumed with this build's own credentials (which may be an
     * assumed role themselves). Closed with this object.
     */
    public Ec2Clients assumingRole(String roleArn) {
        return roles.computeIfAbsent(roleArn, r -> new Ec2Clients(new Ec2Settings(settings.region(), null, r,
                settings.endpoint(), settings.maxAttempts()), http, false, credentials));
    }

    /** SSM Parameter Store in a region, with the same credentials, endpoint and retries as EC2. */
    public SsmClient ssm(String region) {
        return ssmClients.computeIfAbsent(region, r -> configured(SsmClient.builder(), r));
    }

    /** Auto Scaling in a region, with the same credentials, endpoint and retries as EC2. */
    public AutoScalingClient autoScaling(String region) {
        return autoScalingClients.computeIfAbsent(region, r -> configured(AutoScalingClient.builder(), r));
    }

    /**
     * Registers the secret key and session token of every credential the provider hands out (the default chain,
     * a profile, an assumed role's refreshed session), as it hands them out.
     */
    static AwsCredentialsProvider registering(AwsCredentialsProvider provider) {
        final class Registering implements AwsCredentialsProvider, AutoCloseable {
            @Override
            public AwsCredentials resolveCredentials() {
                AwsCredentials credentials = provider.resolveCredentials();
                Secrets.global().add(credentials.secretAccessKey());
                if (credentials instanceof AwsSessionCredentials session) {
                    Secrets.global().add(session.sessionToken());
                }
                return credentials;
            }

            @Override
            public void close() throws Exception {
                if (provider instanceof AutoCloseable c) {
                    c.close();
                }
            }

            @Override
            public String toString() {
                return provider.toString();
            }
        }
        return new Registering();
    }

    /**
     * Registers the AWS secrets of the environment and system properties, whether or not this build uses them:
     * tools the build starts (ansible-playbook) inherit them.
     */
    public static void registerEnvironmentCredentials(Secrets secrets) {
        for (String name : new String[] {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"}) {
            secrets.add(System.getenv(name));
        }
        for (String name : new String[] {"aws.secretAccessKey", "aws.secretKey", "aws.sessionToken"}) {
            secrets.add(System.getProperty(name));
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
        } catch (SdkException e) {
            if (e instanceof SdkClientException && !AwsFailures.isFailedCall(e)) {
                throw new MissingCredentialsException("No AWS credentials found" + (settings.profile() != null
                        ? " for <profile>" + settings.profile() + "</profile>" : "")
                        + ". Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile of ~/.aws/config in <profile>"
                        + " (-Dami.profile), or run where an instance role or SSO session provides them.");
            }
            // credentials were found, but the service behind them (a profile's role, SSO) did not hand them out
            throw new PlatformException("getting the AWS credentials" + (settings.profile() != null ? " of <profile>"
                    + settings.profile() + "</profile>" : "") + " failed: " + AwsFailures.describe(e, null, null), e);
        }
    }

    public Ec2Client client(String region) {
        return clients.computeIfAbsent(region, r -> configured(Ec2Client.builder(), r));
    }

    /**
     * Any service's client with this build's credentials, HTTP client and retries; with an endpoint override, the
     * override stands for every service (a VPC endpoint setup, or the test endpoint).
     */
    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configured(B builder, String region) {
        builder.region(Region.of(region)).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(overrides());
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
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
        roles.values().forEach(Ec2Clients::close);
        clients.values().forEach(Ec2Client::close);
        ssmClients.values().forEach(SsmClient::close);
        autoScalingClients.values().forEach(AutoScalingClient::close);
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
        if (ownsHttp) {
            http.close();
        }
    }

    /**
     * A role's credentials. The SDK lets a failure to get them out of the EC2 or SSM call that needed them as it is,
     * and that call would then be reported as failing with STS's exception (or, when no answer came, with no
     * service named at all): the failure is named here, where it is known to be AssumeRole's.
     */
    private static final class AssumedRole implements AwsCredentialsProvider, AutoCloseable {
        private final StsAssumeRoleCredentialsProvider provider;
        private final String roleArn;
        private final String region;
        private final String endpoint;

        AssumedRole(StsAssumeRoleCredentialsProvider provider, String roleArn, String region, String endpoint) {
            this.provider = provider;
            this.roleArn = roleArn;
            this.region = region;
            this.endpoint = endpoint;
        }

        @Override
        public AwsCredentials resolveCredentials() {
            try {
                return provider.resolveCredentials();
            } catch (SdkException e) {
                throw new PlatformException("STS AssumeRole of " + roleArn + " in " + region + " failed: "
                        + AwsFailures.describe(e, "STS", endpoint), e);
            }
        }

        @Override
        public void close() {
            provider.close();
        }

        @Override
        public String toString() {
            return provider.toString();
        }
    }
}
