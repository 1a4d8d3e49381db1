package io.github.amimaven.testing.ec2;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.ec2.Ec2Platform;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A fresh account of an in-process {@link Ec2TestEndpoint} and an EC2 client for it built the way the plugin builds
 * its own (the standard retry strategy, the JDK HTTP client), with its own credentials rather than system
 * properties, so that tests using it can run side by side. Seeds a distribution's source image.
 */
public final class EndpointAccount implements AutoCloseable {

    public static final String REGION = "ap-southeast-2";
    public static final String DISTRO_OWNER = "679593333241";
    public static final String SOURCE_NAME = "CentOS Linux 7 x86_64 HVM EBS 2002_01";

    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    private final AccountState account;
    private final Ec2Client client;

    private EndpointAccount(Ec2TestEndpoint endpoint, String prefix, int maxAttempts, Duration attemptTimeout) {
        String accessKey = "AKID" + prefix.toUpperCase().replaceAll("[^A-Z0-9]", "") + ACCOUNTS.incrementAndGet();
        this.account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(150));
        account.seedImage(REGION, SOURCE_NAME, DISTRO_OWNER, Instant.parse("2020-03-09T10:00:00Z"));
        this.client = Ec2Client.builder()
                .region(Region.of(REGION))
                .endpointOverride(endpoint.uri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKey, ItCredentials.secretKey(), ItCredentials.sessionToken())))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(c -> {
                    c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build());
                    if (attemptTimeout != null) {
                        c.apiCallAttemptTimeout(attemptTimeout);
                    }
                })
                .build();
    }

    /** A new account whose access key starts with {@code prefix}; API calls are tried {@code maxAttempts} times. */
    public static EndpointAccount open(Ec2TestEndpoint endpoint, String prefix, int maxAttempts) {
        return new EndpointAccount(endpoint, prefix, maxAttempts, null);
    }

    /** As {@link #open(Ec2TestEndpoint, String, int)}, giving up on each attempt of a call after {@code attemptTimeout}. */
    public static EndpointAccount open(Ec2TestEndpoint endpoint, String prefix, int maxAttempts, Duration attemptTimeout) {
        return new EndpointAccount(endpoint, prefix, maxAttempts, attemptTimeout);
    }

    public AccountState account() {
        return account;
    }

    public Ec2Client client() {
        return client;
    }

    public Ec2Platform platform() {
        return new Ec2Platform(client, REGION);
    }

    /** Every image on EC2, in {@link #REGION}; closing it leaves the client open. */
    public PlatformProvider provider() {
        return new PlatformProvider() {
            @Override
            public Platform platformFor(ImageSpec image) {
                return platform();
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * What a build could leak, one line each: non-terminated instances, key pairs, non-default security groups,
     * images not deregistered and snapshots of this account, except those in {@code keep} (ids).
     */
    public List<String> leftovers(List<String> keep) {
        List<String> left = new ArrayList<>(account.liveResources(REGION));
        for (Views.Image i : account.images(REGION)) {
            if (!DISTRO_OWNER.equals(i.ownerId()) && !"deregistered".equals(i.state()) && !keep.contains(i.imageId())) {
                left.add("image " + i.imageId() + " (" + i.state() + ", tags " + i.tags() + ")");
            }
        }
        for (Views.Snapshot s : account.snapshots(REGION)) {
            if (!DISTRO_OWNER.equals(s.ownerId()) && !keep.contains(s.snapshotId())) {
                left.add("snapshot " + s.snapshotId() + " (tags " + s.tags() + ")");
            }
        }
        return left;
    }

    /**
     * {@link #leftovers} once instances that were asked to terminate have done so: a build need not wait for the
     * end of a builder nothing is deleted after, so its instance may still be shutting down when the build returns.
     */
    public List<String> leftoversOnceTerminated(List<String> keep, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> left = leftovers(keep);
        while (left.stream().anyMatch(l -> l.contains("(shutting-down")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            left = leftovers(keep);
        }
        return left;
    }

    @Override
    public void close() {
        client.close();
    }
}
