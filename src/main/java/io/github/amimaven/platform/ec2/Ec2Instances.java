package io.github.amimaven.platform.ec2;

import static io.github.amimaven.platform.ec2.Ec2Calls.code;
import static io.github.amimaven.platform.ec2.Ec2Calls.tagSpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Cipher;

import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.NoCapacityException;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.remote.SshKeys;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * The builders of {@link Ec2Platform}: an instance launched, waited for until it runs, stops or terminates, watched,
 * its console and Windows password read, and kept for debugging.
 */
final class Ec2Instances {

    /**
     * RunInstances' answers for an instance type or market without room now: no capacity, a type the zone does not
     * offer, a spot price above the maximum, the account's spot instances used up.
     */
    private static final Set<String> NO_CAPACITY = Set.of("InsufficientInstanceCapacity", "Unsupported",
            "SpotMaxPriceTooLow", "MaxSpotInstanceCountExceeded");

    private final Ec2Client ec2;
    private final String region;
    private final Ec2Calls calls;
    private final Ec2Images images;
    private final Ec2Waiter waiter;

    Ec2Instances(Ec2Calls calls, Ec2Images images) {
        this.ec2 = calls.ec2();
        this.region = calls.region();
        this.calls = calls;
        this.images = images;
        this.waiter = Ec2Waiter.builder().client(ec2).build();
    }

    /**
     * Launches one instance. EC2's answers that say this instance type or market has no room now, where another may,
     * are a {@link NoCapacityException}, once the SDK's retry strategy has retried those it retries (HTTP 5xx).
     */
    String launch(LaunchSpec spec) {
        Image source = images.resolved(spec.imageId());
        RunInstancesRequest request = Ec2LaunchRequest.of(spec,
                source != null && source.rootDeviceName() != null ? source.rootDeviceName() : "/dev/xvda");
        String hint = "check <instanceType>, <subnetId>, <securityGroupIds>, <iamInstanceProfile>, <rootVolume> and <launchVolumes>";
        try {
            return ec2.runInstances(request).instances().get(0).instanceId();
        } catch (Ec2Exception e) {
            if (NO_CAPACITY.contains(code(e))) {
                String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
                throw new NoCapacityException(calls.translate("RunInstances", e, null).getMessage(),
                        code(e) + ": " + message, e);
            }
            throw calls.translate("RunInstances", e, hint);
        } catch (SdkException e) {
            throw calls.translate("RunInstances", e, hint);
        }
    }

    /**
     * One waiter from launch to running: InstanceRunning retries the NotFound a just-launched instance can answer,
     * and its last poll describes the running instance, so no other call is needed.
     */
    Machine awaitRunning(String machineId, Duration timeout) {
        DescribeInstancesRequest request = DescribeInstancesRequest.builder().instanceIds(machineId).build();
        DescribeInstancesResponse described = calls.await("instance " + machineId + " to run", "DescribeInstances",
                Timeouts.INSTANCE, timeout, config -> waiter.waitUntilInstanceRunning(request, config));
        Instance i = described.reservations().get(0).instances().get(0);
        return new Machine(i.instanceId(), blankToNull(i.publicIpAddress()), blankToNull(i.privateIpAddress()),
                blankToNull(i.publicDnsName()), blankToNull(i.privateDnsName()));
    }

    void stop(String machineId) {
        calls.call("StopInstances", () -> ec2.stopInstances(r -> r.instanceIds(machineId)), null);
    }

    void awaitStopped(String machineId, Duration timeout) {
        calls.await("instance " + machineId + " to stop", "DescribeInstances", Timeouts.INSTANCE, timeout,
                config -> waiter.waitUntilInstanceStopped(DescribeInstancesRequest.builder().instanceIds(machineId).build(),
                        config));
    }

    /**
     * One waiter from launch to stopped: unlike InstanceRunning followed by InstanceStopped it polls through pending,
     * running and stopping, so an instance whose user data powers it off between two polls is still seen stopped
     * (InstanceRunning fails on stopping and never ends on stopped); it retries the NotFound a just-launched instance
     * can answer, and fails when the instance ended instead, with EC2's reason.
     */
    void awaitGuestShutdown(String machineId, Duration timeout) {
        DescribeInstancesRequest request = DescribeInstancesRequest.builder().instanceIds(machineId).build();
        try {
            calls.await("instance " + machineId + " to stop by itself", "DescribeInstances", Timeouts.INSTANCE, timeout,
                    config -> stoppedByItself(config).run(() -> ec2.describeInstances(request)));
        } catch (PlatformException e) {
            if (e.isTimeout()) {
                throw e;
            }
            String reason;
            try {
                Instance ended = describeInstance(machineId);
                reason = ended.stateReason() != null && ended.stateReason().message() != null
                        ? ended.stateReason().message() : blankToNull(ended.stateTransitionReason());
            } catch (RuntimeException unknown) {
                // only to say why: the wait's own error stands
                reason = null;
            }
            throw reason == null ? e : new PlatformException(e.getMessage() + " (" + reason + ")", e);
        }
    }

    private static Waiter<DescribeInstancesResponse> stoppedByItself(WaiterOverrideConfiguration config) {
        return Waiter.builder(DescribeInstancesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(r -> instanceStateIs(r, InstanceStateName.STOPPED)))
                .addAcceptor(WaiterAcceptor.errorOnResponseAcceptor(r -> instanceStateIs(r, InstanceStateName.SHUTTING_DOWN)
                        || instanceStateIs(r, InstanceStateName.TERMINATED), "the instance ended instead of stopping"))
                .addAcceptor(WaiterAcceptor.retryOnExceptionAcceptor(e -> e instanceof Ec2Exception ex
                        && "InvalidInstanceID.NotFound".equals(code(ex))))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> true))
                .overrideConfiguration(config)
                .build();
    }

    private static boolean instanceStateIs(DescribeInstancesResponse r, InstanceStateName state) {
        return r.reservations().stream().flatMap(res -> res.instances().stream())
                .anyMatch(i -> i.state() != null && i.state().name() == state);
    }

    void terminate(String machineId) {
        calls.ignoringGone("TerminateInstances", () -> ec2.terminateInstances(r -> r.instanceIds(machineId)));
    }

    void awaitTerminated(String machineId, Duration timeout) {
        try {
            calls.await("instance " + machineId + " to terminate", "DescribeInstances", Timeouts.INSTANCE, timeout,
                    config -> waiter.waitUntilInstanceTerminated(
                            DescribeInstancesRequest.builder().instanceIds(machineId).build(), config));
        } catch (PlatformException e) {
            if (!(e.getCause() instanceof Ec2Exception ex && Ec2Calls.GONE.contains(code(ex)))) {
                throw e;
            }
        }
    }

    /** Windows' sysprep ends with a shutdown, which a builder launched with shutdown behaviour terminate would not survive. */
    void stopOnGuestShutdown(String machineId) {
        calls.call("ModifyInstanceAttribute", () -> ec2.modifyInstanceAttribute(r -> r.instanceId(machineId)
                .instanceInitiatedShutdownBehavior(v -> v.value(ShutdownBehavior.STOP.toString()))), null);
    }

    Optional<String> windowsPassword(String machineId, byte[] privateKey) {
        String data = calls.call("GetPasswordData", () -> ec2.getPasswordData(r -> r.instanceId(machineId)).passwordData(), null);
        if (data == null || data.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(decryptPassword(data.strip(), privateKey));
    }

    /** EC2 encrypts the password with the key pair's RSA public key, PKCS#1 v1.5 padding, and base64-encodes it. */
    static String decryptPassword(String passwordData, byte[] privateKey) {
        java.security.interfaces.RSAPrivateKey key;
        try {
            key = SshKeys.rsaPrivateKey(privateKey);
        } catch (IllegalArgumentException e) {
            throw new PlatformException("the Windows password cannot be decrypted with the build's key (" + e.getMessage()
                    + "): EC2 encrypts it for RSA key pairs only; use a temporary key or an RSA <ssh><privateKeyFile>", true);
        }
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            return new String(rsa.doFinal(Base64.getMimeDecoder().decode(passwordData)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // the message names no part of the data or the key
            throw new PlatformException("the Windows password data cannot be decrypted with the build's key ("
                    + e.getClass().getSimpleName() + "): is <ssh><privateKeyFile> the private key of <ssh><keyPairName>?", true);
        }
    }

    /** The instance has left {@code pending}/{@code running}: its state and EC2's reason for it. */
    Optional<String> whyNotRunning(String machineId) {
        Instance i;
        try {
            i = ec2.describeInstances(r -> r.instanceIds(machineId)).reservations().stream()
                    .flatMap(res -> res.instances().stream()).findFirst().orElse(null);
        } catch (Ec2Exception e) {
            if ("InvalidInstanceID.NotFound".equals(code(e))) {
                return Optional.of("instance " + machineId + " no longer exists in " + region);
            }
            throw calls.translate("DescribeInstances", e, null);
        }
        if (i == null) {
            return Optional.of("instance " + machineId + " no longer exists in " + region);
        }
        InstanceStateName state = i.state() == null ? null : i.state().name();
        if (state == null || state == InstanceStateName.PENDING || state == InstanceStateName.RUNNING) {
            return Optional.empty();
        }
        StringBuilder why = new StringBuilder("instance " + machineId + " is " + i.state().nameAsString());
        if (i.stateReason() != null && i.stateReason().code() != null) {
            why.append(" (").append(i.stateReason().code());
            if (i.stateReason().message() != null && !i.stateReason().message().equals(i.stateReason().code())) {
                why.append(": ").append(i.stateReason().message());
            }
            why.append(")");
        } else if (i.stateTransitionReason() != null && !i.stateTransitionReason().isBlank()) {
            why.append(" (").append(i.stateTransitionReason()).append(")");
        }
        return Optional.of(why.toString());
    }

    Optional<String> consoleOutput(String machineId) {
        // Latest: what the machine printed up to now rather than a snapshot taken at its last state change
        String output = calls.call("GetConsoleOutput", () -> ec2.getConsoleOutput(r -> r.instanceId(machineId).latest(true))
                .output(), null);
        if (output == null || output.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8));
    }

    /**
     * Tags the instance, and the plugin's security groups it uses, {@code ami:kept-until}: the orphan sweep of later
     * builds leaves them alone until then.
     */
    void keepRunning(String machineId) {
        Instance instance = describeInstance(machineId);
        List<String> resources = new ArrayList<>(List.of(machineId));
        List<String> groups = instance.securityGroups().stream().map(g -> g.groupId()).toList();
        if (!groups.isEmpty()) {
            calls.call("DescribeSecurityGroups", () -> ec2.describeSecurityGroups(r -> r.groupIds(groups)).securityGroups()
                    .stream().filter(g -> g.tags().stream().anyMatch(t -> t.key().equals(TaggedResource.BUILD_ID)))
                    .forEach(g -> resources.add(g.groupId())), null);
        }
        String until = java.time.Instant.now().plus(Platform.KEPT_FOR).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        calls.call("CreateTags", () -> ec2.createTags(r -> r.resources(resources)
                .tags(Tag.builder().key(TaggedResource.KEPT_UNTIL).value(until).build())), null);
    }

    /** The image, or null when it does not exist. */
    private Instance describeInstance(String id) {
        return calls.call("DescribeInstances", () -> ec2.describeInstances(r -> r.instanceIds(id))
                .reservations().get(0).instances().get(0), null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
