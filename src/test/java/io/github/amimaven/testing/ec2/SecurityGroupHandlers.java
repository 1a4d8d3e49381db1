package io.github.amimaven.testing.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Security groups and their ingress (and egress) rules. */
final class SecurityGroupHandlers {

    private SecurityGroupHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("CreateSecurityGroup", SecurityGroupHandlers::createSecurityGroup);
        h.put("DeleteSecurityGroup", SecurityGroupHandlers::deleteSecurityGroup);
        h.put("DescribeSecurityGroups", SecurityGroupHandlers::describeSecurityGroups);
        h.put("AuthorizeSecurityGroupIngress", (c, out) -> changeRules(c, out, false, true));
        h.put("RevokeSecurityGroupIngress", (c, out) -> changeRules(c, out, false, false));
        h.put("AuthorizeSecurityGroupEgress", (c, out) -> changeRules(c, out, true, true));
        h.put("RevokeSecurityGroupEgress", (c, out) -> changeRules(c, out, true, false));
    }

    private static void createSecurityGroup(Call c, Xml out) {
        String name = c.params.required("GroupName");
        String description = c.params.required("GroupDescription");
        String vpcId = c.params.get("VpcId", c.region.defaultVpc.id);
        if (!c.region.vpcs.containsKey(vpcId)) {
            throw Ec2Error.of("InvalidVpcID.NotFound", "The vpc ID '" + vpcId + "' does not exist");
        }
        if ("default".equals(name)) {
            throw Ec2Error.of("InvalidGroup.Reserved", "The security group 'default' is reserved");
        }
        if (name.startsWith("sg-") || name.length() > 255) {
            throw Ec2Error.invalidValue("Invalid security group name: " + name);
        }
        for (Resources.SecurityGroup g : c.region.securityGroups.values()) {
            if (g.name.equals(name) && g.vpcId.equals(vpcId)) {
                throw Ec2Error.of("InvalidGroup.Duplicate",
                        "The security group '" + name + "' already exists for VPC '" + vpcId + "'");
            }
        }
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(c.params, Set.of("security-group"));
        Resources.SecurityGroup g = new Resources.SecurityGroup();
        g.id = RegionState.newId("sg-");
        g.name = name;
        g.description = description;
        g.vpcId = vpcId;
        g.ownerId = c.accountId();
        g.egress.add(new Resources.Rule("-1", null, null, "0.0.0.0/0", null));
        g.tags.putAll(tags.getOrDefault("security-group", Map.of()));
        c.region.securityGroups.put(g.id, g);
        out.el("return", true).el("groupId", g.id).tagSet(g.tags);
    }

    private static Resources.SecurityGroup target(Call c) {
        String id = c.params.get("GroupId");
        if (id != null) {
            return c.region.securityGroup(id);
        }
        String name = c.params.get("GroupName");
        if (name == null) {
            throw Ec2Error.missing("GroupId");
        }
        return c.region.securityGroupByName(name, null);
    }

    private static void deleteSecurityGroup(Call c, Xml out) {
        Resources.SecurityGroup g = target(c);
        if (g.isDefault) {
            throw Ec2Error.of("CannotDelete", "the specified group: \"" + g.id + "\" name: \"default\" cannot be deleted by a user");
        }
        for (Resources.Instance i : c.region.instances.values()) {
            if (i.state != Resources.InstanceState.TERMINATED && i.securityGroupIds.contains(g.id)) {
                throw Ec2Error.of("DependencyViolation", "resource " + g.id + " has a dependent object");
            }
        }
        c.region.securityGroups.remove(g.id);
        out.el("return", true).el("groupId", g.id);
    }

    /** IpPermissions.N.* and the legacy flat parameters, as rules with one CIDR or source group each. */
    private static List<Resources.Rule> requestedRules(Call c) {
        List<Resources.Rule> rules = new ArrayList<>();
        Params p = c.params;
        for (Params perm : p.members("IpPermissions")) {
            String protocol = protocol(perm.required("IpProtocol"));
            Integer from = ports(protocol) ? required(perm.integer("FromPort"), "FromPort") : perm.integer("FromPort");
            Integer to = ports(protocol) ? required(perm.integer("ToPort"), "ToPort") : perm.integer("ToPort");
            for (Params range : perm.members("IpRanges")) {
                rules.add(new Resources.Rule(protocol, from, to, cidr(range.required("CidrIp")), null));
            }
            for (Params range : perm.members("Ipv6Ranges")) {
                rules.add(new Resources.Rule(protocol, from, to, range.required("CidrIpv6"), null));
            }
            for (Params group : perm.members("Groups")) {
                String groupId = group.get("GroupId");
                if (groupId == null && group.get("GroupName") != null) {
                    groupId = c.region.securityGroupByName(group.get("GroupName"), null).id;
                }
                rules.add(new Resources.Rule(protocol, from, to, null, c.region.securityGroup(groupId).id));
            }
        }
        if (p.has("IpProtocol") || p.has("CidrIp") || p.has("SourceSecurityGroupName")) {
            String protocol = protocol(p.get("IpProtocol", "-1"));
            Integer from = p.integer("FromPort");
            Integer to = p.integer("ToPort");
            if (ports(protocol) && (from == null || to == null)) {
                throw Ec2Error.missing(from == null ? "FromPort" : "ToPort");
            }
            if (p.get("CidrIp") != null) {
                rules.add(new Resources.Rule(protocol, from, to, cidr(p.get("CidrIp")), null));
            }
            if (p.get("SourceSecurityGroupName") != null) {
                String source = c.region.securityGroupByName(p.get("SourceSecurityGroupName"), null).id;
                rules.add(new Resources.Rule(protocol, from, to, null, source));
            }
        }
        if (rules.isEmpty()) {
            throw Ec2Error.missing("IpPermissions");
        }
        return rules;
    }

    private static Integer required(Integer value, String name) {
        if (value == null) {
            throw Ec2Error.missing(name);
        }
        return value;
    }

    private static boolean ports(String protocol) {
        return protocol.equals("tcp") || protocol.equals("udp");
    }

    private static String protocol(String p) {
        String lower = p.toLowerCase();
        return switch (lower) {
            case "tcp", "udp", "icmp", "icmpv6", "-1" -> lower;
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            case "all" -> "-1";
            default -> {
                if (lower.matches("\\d{1,3}")) {
                    yield lower;
                }
                throw Ec2Error.of("InvalidPermission.Malformed", "Invalid IP protocol: " + p);
            }
        };
    }

    private static String cidr(String cidr) {
        if (!cidr.matches("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}")) {
            throw Ec2Error.invalidValue("CIDR block " + cidr + " is malformed");
        }
        return cidr;
    }

    private static void changeRules(Call c, Xml out, boolean egress, boolean add) {
        Resources.SecurityGroup g = target(c);
        List<Resources.Rule> list = egress ? g.egress : g.ingress;
        List<Resources.Rule> requested = requestedRules(c);
        for (Resources.Rule r : requested) {
            boolean exists = list.contains(r);
            if (add && exists) {
                throw Ec2Error.of("InvalidPermission.Duplicate", "the specified rule \"peer: "
                        + (r.cidr() != null ? r.cidr() : r.groupId()) + ", " + r.protocol().toUpperCase()
                        + ", from port: " + r.fromPort() + ", to port: " + r.toPort() + ", ALLOW\" already exists");
            }
            if (!add && !exists) {
                throw Ec2Error.of("InvalidPermission.NotFound",
                        "The specified rule does not exist in this security group.");
            }
        }
        if (add) {
            list.addAll(requested);
        } else {
            list.removeAll(requested);
        }
        out.el("return", true);
        if (add) {
            out.start("securityGroupRuleSet");
            for (Resources.Rule r : requested) {
                out.start("item").el("securityGroupRuleId", RegionState.newId("sgr-")).el("groupId", g.id)
                        .el("groupOwnerId", g.ownerId).el("isEgress", egress).el("ipProtocol", r.protocol())
                        .el("fromPort", r.fromPort() == null ? -1 : r.fromPort())
                        .el("toPort", r.toPort() == null ? -1 : r.toPort()).el("cidrIpv4", r.cidr());
                if (r.groupId() != null) {
                    out.start("referencedGroupInfo").el("groupId", r.groupId()).el("userId", g.ownerId).end();
                }
                out.end();
            }
            out.end();
        }
    }

    private static void describeSecurityGroups(Call c, Xml out) {
        List<String> ids = c.params.list("GroupId");
        ids.forEach(c.region::securityGroup);
        List<String> names = c.params.list("GroupName");
        names.forEach(n -> c.region.securityGroupByName(n, null));
        Filters filters = Filters.of(c.params);
        out.start("securityGroupInfo");
        for (Resources.SecurityGroup g : c.region.securityGroups.values()) {
            if ((!ids.isEmpty() && !ids.contains(g.id)) || (!names.isEmpty() && !names.contains(g.name))) {
                continue;
            }
            if (!filters.matches(g.tags, f -> switch (f) {
                case "group-id" -> List.of(g.id);
                case "group-name" -> List.of(g.name);
                case "vpc-id" -> List.of(g.vpcId);
                case "description" -> List.of(g.description);
                case "owner-id" -> List.of(g.ownerId);
                case "ip-permission.cidr" -> g.ingress.stream().map(Resources.Rule::cidr).filter(x -> x != null).toList();
                case "ip-permission.from-port" -> g.ingress.stream().map(r -> String.valueOf(r.fromPort())).toList();
                case "ip-permission.to-port" -> g.ingress.stream().map(r -> String.valueOf(r.toPort())).toList();
                case "ip-permission.protocol" -> g.ingress.stream().map(Resources.Rule::protocol).toList();
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("ownerId", g.ownerId).el("groupId", g.id).el("groupName", g.name)
                    .el("groupDescription", g.description).el("vpcId", g.vpcId);
            writePermissions(out, "ipPermissions", g.ingress, g.ownerId);
            writePermissions(out, "ipPermissionsEgress", g.egress, g.ownerId);
            out.tagSet(g.tags)
                    .el("securityGroupArn", "arn:aws:ec2:" + c.region.region + ":" + g.ownerId + ":security-group/" + g.id)
                    .end();
        }
        out.end();
    }

    /** EC2 shows one permission per protocol and port range, listing its CIDRs and source groups together. */
    private static void writePermissions(Xml out, String element, List<Resources.Rule> rules, String ownerId) {
        Map<String, List<Resources.Rule>> grouped = new LinkedHashMap<>();
        for (Resources.Rule r : rules) {
            grouped.computeIfAbsent(r.protocol() + "/" + r.fromPort() + "/" + r.toPort(), k -> new ArrayList<>()).add(r);
        }
        out.start(element);
        for (List<Resources.Rule> group : grouped.values()) {
            Resources.Rule first = group.get(0);
            out.start("item").el("ipProtocol", first.protocol()).el("fromPort", first.fromPort())
                    .el("toPort", first.toPort());
            out.start("groups");
            group.stream().filter(r -> r.groupId() != null)
                    .forEach(r -> out.start("item").el("userId", ownerId).el("groupId", r.groupId()).end());
            out.end().start("ipRanges");
            group.stream().filter(r -> r.cidr() != null && !r.cidr().contains(":"))
                    .forEach(r -> out.start("item").el("cidrIp", r.cidr()).end());
            out.end().start("ipv6Ranges");
            group.stream().filter(r -> r.cidr() != null && r.cidr().contains(":"))
                    .forEach(r -> out.start("item").el("cidrIpv6", r.cidr()).end());
            out.end().start("prefixListIds").end().end();
        }
        out.end();
    }
}
