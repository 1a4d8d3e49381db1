package io.github.amimaven.platform.ec2;

import static io.github.amimaven.platform.ec2.Ec2Calls.code;
import static io.github.amimaven.platform.ec2.Ec2Calls.tagSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;

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
        String vpcId = subnetId.map(this::vpcOf).orElse(null);
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

    /** The matching subnet with the most free addresses; ties go to the lowest id, so that every build picks the same. */
    String chooseSubnet(Map<String, List<String>> filters) {
        List<Subnet> subnets = calls.call("DescribeSubnets", () -> ec2.describeSubnetsPaginator(r -> r.filters(filters(filters)))
                .subnets().stream().toList(), "check <subnetFilter>");
        return subnets.stream()
                .max(Comparator.comparing((Subnet s) -> s.availableIpAddressCount() == null ? 0 : s.availableIpAddressCount())
                        .thenComparing(Subnet::subnetId, Comparator.reverseOrder()))
                .map(Subnet::subnetId)
                .orElseThrow(() -> new PlatformException("no subnet in " + calls.region() + " matches <subnetFilter> "
                        + filters + ": check the filters' names and values, or set <subnetId>", true));
    }

    /** Every matching security group, in the subnet's VPC when a subnet is given, ordered by id. */
    List<String> findSecurityGroups(Map<String, List<String>> filters, String subnetId) {
        List<Filter> all = new ArrayList<>(filters(filters));
        if (subnetId != null) {
            all.add(Filter.builder().name("vpc-id").values(vpcOf(subnetId)).build());
        }
        List<String> groups = calls.call("DescribeSecurityGroups", () -> ec2.describeSecurityGroupsPaginator(r -> r.filters(all))
                .securityGroups().stream().map(SecurityGroup::groupId).sorted().toList(), "check <securityGroupFilter>");
        if (groups.isEmpty()) {
            throw new PlatformException("no security group in " + calls.region()
                    + (subnetId == null ? "" : " (in the VPC of " + subnetId + ")") + " matches <securityGroupFilter> "
                    + filters + ": check the filters' names and values, or set <securityGroupIds>", true);
        }
        return groups;
    }

    private String vpcOf(String subnetId) {
        return calls.call("DescribeSubnets", () -> ec2.describeSubnets(r -> r.subnetIds(subnetId)).subnets().get(0).vpcId(),
                "check <subnetId>");
    }

    private static List<Filter> filters(Map<String, List<String>> filters) {
        return filters.entrySet().stream().map(f -> Filter.builder().name(f.getKey()).values(f.getValue()).build()).toList();
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
