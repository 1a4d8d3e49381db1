package io.github.amimaven.platform.ec2;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * How {@link Ec2Platform} calls EC2 in one region: each call's failure translated into what the build reports (a user
 * error or the environment's, with a hint), deletes that find the resource gone counted as done, and waits on the SDK's
 * waiters polling on a {@link PollSchedule}.
 */
final class Ec2Calls {

    /** Codes meaning "already gone", which deletes treat as success. */
    static final Set<String> GONE = Set.of("InvalidInstanceID.NotFound", "InvalidAMIID.NotFound",
            "InvalidAMIID.Unavailable", "InvalidSnapshot.NotFound", "InvalidKeyPair.NotFound",
            "InvalidGroup.NotFound", "InvalidGroupId.Malformed");

    /** Codes that mean the user's input is wrong rather than AWS or the network. */
    private static final Set<String> USER_ERRORS = Set.of("InvalidAMIID.NotFound", "InvalidAMIID.Malformed",
            "InvalidParameterValue", "InvalidParameterCombination", "InvalidSubnetID.NotFound", "InvalidGroup.NotFound",
            "InvalidKeyPair.NotFound", "InvalidAMIName.Duplicate", "InvalidAMIName.Malformed", "AuthFailure",
            "UnauthorizedOperation", "InvalidClientTokenId", "OptInRequired", "Unsupported", "MissingParameter",
            "InvalidInstanceType", "InvalidBlockDeviceMapping");

    private final Ec2Client ec2;
    private final String region;
    private final PollSchedule polls = PollSchedule.DEFAULT;
    private volatile String endpoint;

    Ec2Calls(Ec2Client ec2, String region) {
        this.ec2 = ec2;
        this.region = region;
    }

    Ec2Client ec2() {
        return ec2;
    }

    String region() {
        return region;
    }

    /**
     * Runs a waiter polling on this region's {@link PollSchedule} within {@code timeout} (the wait before the first
     * poll included), and returns the response it ended on. {@code poll} is the action the waiter calls.
     */
    <R> R await(String what, String poll, String setting, Duration timeout,
            Function<WaiterOverrideConfiguration, WaiterResponse<R>> waiter) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            polls.sleepBeforeFirstPoll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while waiting for " + what + " in " + region, e);
        }
        WaiterOverrideConfiguration config = WaiterOverrideConfiguration.builder()
                .waitTimeout(Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime())))
                .maxAttempts(Integer.MAX_VALUE)
                .backoffStrategyV2(polls)
                .build();
        String during = poll + " (waiting for " + what + ")";
        try {
            WaiterResponse<R> response = waiter.apply(config);
            Optional<R> last = response.matched().response();
            if (last.isPresent()) {
                return last.get();
            }
            // an acceptor ended the wait on an exception: there is no response to return
            Throwable ended = response.matched().exception().orElse(null);
            throw ended instanceof SdkException sdk ? translate(during, sdk, null) : new PlatformException("gave up waiting for "
                    + what + " in " + region + ": " + (ended == null ? "the waiter ended without an answer" : ended), ended);
        } catch (SdkClientException e) {
            if (e.getCause() instanceof SdkException cause) {
                // a poll failed in a way no acceptor expects: report that failure, not the waiter's
                throw translate(during, cause, null);
            }
            if (e.getCause() instanceof PlatformException cause) {
                throw cause;
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("max wait time") || message.contains("exceeded")) {
                throw PlatformException.timedOut("timed out waiting for " + what + " in " + region, timeout, setting, e);
            }
            // the waiter's own verdict (an acceptor moved it to failure), not a failed call
            throw new PlatformException("gave up waiting for " + what + " in " + region + ": " + message, e);
        } catch (SdkException e) {
            throw translate(during, e, null);
        }
    }

    <T> T call(String action, Supplier<T> call, String hint) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw translate(action, e, hint);
        }
    }

    void call(String action, Runnable call, String hint) {
        call(action, () -> {
            call.run();
            return null;
        }, hint);
    }

    void ignoringGone(String action, Runnable call) {
        try {
            call.run();
        } catch (SdkException e) {
            if (!GONE.contains(code(e))) {
                throw translate(action, e, null);
            }
        }
    }

    /**
     * The failure of {@code action} as the build reports it. Anything the SDK throws gets here, including answers
     * that are not EC2's, which have no error code.
     */
    PlatformException translate(String action, SdkException e, String hint) {
        String code = code(e);
        String message = "EC2 " + action + " in " + region + " failed: " + AwsFailures.describe(e, "EC2", endpoint());
        if (USER_ERRORS.contains(code)) {
            if ("AuthFailure".equals(code) || "UnauthorizedOperation".equals(code) || "InvalidClientTokenId".equals(code)) {
                hint = "check the AWS credentials (<profile>, <roleArn>, AWS_ACCESS_KEY_ID) and their IAM permissions";
            }
            return new PlatformException(message + (hint == null ? "" : " (" + hint + ")"), true);
        }
        return new PlatformException(message, e);
    }

    /** Where this platform's calls go, for messages about answers that did not come from EC2. */
    private String endpoint() {
        String known = endpoint;
        if (known == null) {
            try {
                known = AwsFailures.endpoint(ec2.serviceClientConfiguration(), Ec2Client.serviceMetadata());
            } catch (RuntimeException noConfiguration) {
                known = "the EC2 endpoint of " + region;
            }
            endpoint = known;
        }
        return known;
    }

    /** The error code, or "" when the answer had none. */
    static String code(SdkException e) {
        return AwsFailures.code(e);
    }

    static TagSpecification tagSpec(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type)
                .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
                .build();
    }
}
