package io.github.amimaven.platform.ec2;

import static io.github.amimaven.platform.ec2.Ec2Calls.code;
import static io.github.amimaven.platform.ec2.Ec2Calls.tagSpec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/** SSH access to {@link Ec2Platform}'s builders: the imported key pair and the temporary security group. */
final class Ec2KeysAndFirewalls {

    private final Ec2Client ec2;
    private final Ec2Calls calls;
    private final Duration firewallReleaseTimeout;

    Ec2KeysAndFirewalls(Ec2Calls calls, Duration firewallReleaseTimeout) {
        this.ec2 = calls.ec2();
        this.calls = calls;
        this.firewallReleaseTimeout = firewallReleaseTimeout;
    }

    String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        calls.call("ImportKeyPair", () -> ec2.importKeyPair(r -> r.keyName(name)
                .publicKeyMaterial(SdkBytes.fromUtf8String(publicKeyOpenSsh))
                .tagSpecifications(tagSpec(ResourceType.KEY_PAIR, tags))), null);
        return name;
    }

    void deleteKeyPair(String keyName) {
        calls.ignoringGone("DeleteKeyPair", () -> ec2.deleteKeyPair(r -> r.keyName(keyName)));
    }

    Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        String vpcId = subnetId.map(s -> calls.call("DescribeSubnets",
                () -> ec2.describeSubnets(r -> r.subnetIds(s)).subnets().get(0).vpcId(), "check <subnetId>")).orElse(null);
        String groupId = calls.call("CreateSecurityGroup", () -> ec2.createSecurityGroup(r -> r.groupName(name)
                .description("Temporary SSH access for ami-maven-plugin build")
                .vpcId(vpcId)
                .tagSpecifications(tagSpec(ResourceType.SECURITY_GROUP, tags))).groupId(), null);
        List<IpRange> v4 = cidrs.stream().filter(c -> !c.contains(":"))
                .map(c -> IpRange.builder().cidrIp(c).description("ami-maven-plugin SSH").build()).toList();
        List<Ipv6Range> v6 = cidrs.stream().filter(c -> c.contains(":"))
                .map(c -> Ipv6Range.builder().cidrIpv6(c).description("ami-maven-plugin SSH").build()).toList();
        IpPermission permission = IpPermission.builder().ipProtocol("tcp").fromPort(port).toPort(port)
                .ipRanges(v4).ipv6Ranges(v6).build();
        try {
            calls.call("AuthorizeSecurityGroupIngress", () -> ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId)
                    .ipPermissions(permission)), "check <ssh><allowedCidrs>");
        } catch (RuntimeException e) {
            // the group exists but the caller never learns its id: remove it here
            deleteFirewall(groupId);
            throw e;
        }
        return Optional.of(groupId);
    }

    /**
     * Retries {@code DependencyViolation}, which AWS returns until the terminated builder's network interface is
     * released (seconds to a few minutes after termination).
     */
    void deleteFirewall(String firewallId) {
        BackoffStrategy backoff = BackoffStrategy.exponentialDelayHalfJitter(Duration.ofSeconds(1), Duration.ofSeconds(15));
        long start = System.nanoTime();
        long deadline = start + firewallReleaseTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                calls.ignoringGone("DeleteSecurityGroup", () -> ec2.deleteSecurityGroup(r -> r.groupId(firewallId)));
                return;
            } catch (PlatformException e) {
                boolean inUse = e.getCause() instanceof Ec2Exception ex && "DependencyViolation".equals(code(ex));
                Duration delay = backoff.computeDelay(attempt);
                if (!inUse) {
                    throw e;
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    throw new PlatformException("security group " + firewallId + " is still in use after "
                            + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s of waiting for the network"
                            + " interfaces of terminated instances to be released: " + e.getMessage(), e);
                }
                try {
                    // the last try comes at the bound itself, not one backoff gap before it
                    Thread.sleep(Math.max(1, Math.min(delay.toMillis(), (deadline - now) / 1_000_000)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
