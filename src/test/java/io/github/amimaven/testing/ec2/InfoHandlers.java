package io.github.amimaven.testing.ec2;

import java.util.List;
import java.util.Map;

/** Regions, availability zones, the default VPC and its subnets: fixed facts tools look up before they act. */
final class InfoHandlers {

    static final List<String> REGIONS = List.of("af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2",
            "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
            "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2", "eu-west-3", "me-south-1", "sa-east-1",
            "us-east-1", "us-east-2", "us-west-1", "us-west-2");

    private InfoHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("DescribeRegions", InfoHandlers::describeRegions);
        h.put("DescribeAvailabilityZones", InfoHandlers::describeAvailabilityZones);
        h.put("DescribeVpcs", InfoHandlers::describeVpcs);
        h.put("DescribeSubnets", InfoHandlers::describeSubnets);
        h.put("DescribeAccountAttributes", InfoHandlers::describeAccountAttributes);
    }

    private static void describeRegions(Call c, Xml out) {
        List<String> names = c.params.list("RegionName");
        Filters filters = Filters.of(c.params);
        out.start("regionInfo");
        for (String r : REGIONS) {
            if (!names.isEmpty() && !names.contains(r)) {
                continue;
            }
            String endpoint = "ec2." + r + ".amazonaws.com";
            if (!filters.matches(Map.of(), f -> switch (f) {
                case "region-name" -> List.of(r);
                case "endpoint" -> List.of(endpoint);
                case "opt-in-status" -> List.of("opt-in-not-required");
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("regionName", r).el("regionEndpoint", endpoint)
                    .el("optInStatus", "opt-in-not-required").end();
        }
        out.end();
    }

    private static void describeAvailabilityZones(Call c, Xml out) {
        List<String> names = c.params.list("ZoneName");
        Filters filters = Filters.of(c.params);
        out.start("availabilityZoneInfo");
        for (Resources.Subnet s : c.region.subnets.values()) {
            if (!s.defaultForAz || (!names.isEmpty() && !names.contains(s.availabilityZone))) {
                continue;
            }
            if (!filters.matches(Map.of(), f -> switch (f) {
                case "zone-name" -> List.of(s.availabilityZone);
                case "zone-id" -> List.of(s.availabilityZoneId);
                case "region-name" -> List.of(c.region.region);
                case "state" -> List.of("available");
                case "zone-type" -> List.of("availability-zone");
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("zoneName", s.availabilityZone).el("zoneState", "available")
                    .el("regionName", c.region.region).el("zoneId", s.availabilityZoneId)
                    .el("optInStatus", "opt-in-not-required").el("groupName", c.region.region)
                    .el("networkBorderGroup", c.region.region).el("zoneType", "availability-zone")
                    .start("messageSet").end().end();
        }
        out.end();
    }

    private static void describeVpcs(Call c, Xml out) {
        List<String> ids = c.params.list("VpcId");
        for (String id : ids) {
            if (!c.region.vpcs.containsKey(id)) {
                throw Ec2Error.of("InvalidVpcID.NotFound", "The vpc ID '" + id + "' does not exist");
            }
        }
        Filters filters = Filters.of(c.params);
        out.start("vpcSet");
        for (Resources.Vpc v : c.region.vpcs.values()) {
            if (!ids.isEmpty() && !ids.contains(v.id)) {
                continue;
            }
            if (!filters.matches(v.tags, f -> switch (f) {
                case "vpc-id" -> List.of(v.id);
                case "is-default", "isDefault" -> List.of(String.valueOf(v.isDefault));
                case "cidr", "cidr-block-association.cidr-block", "cidrBlock" -> List.of(v.cidr);
                case "state" -> List.of("available");
                case "owner-id" -> List.of(c.accountId());
                case "dhcp-options-id" -> List.of(v.dhcpOptionsId);
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("vpcId", v.id).el("ownerId", c.accountId()).el("state", "available")
                    .el("cidrBlock", v.cidr).el("dhcpOptionsId", v.dhcpOptionsId)
                    .el("instanceTenancy", "default").el("isDefault", v.isDefault)
                    .start("cidrBlockAssociationSet").start("item").el("cidrBlock", v.cidr)
                    .el("associationId", "vpc-cidr-assoc-" + v.id.substring(4))
                    .start("cidrBlockState").el("state", "associated").end().end().end()
                    .tagSet(v.tags).end();
        }
        out.end();
    }

    private static void describeSubnets(Call c, Xml out) {
        List<String> ids = c.params.list("SubnetId");
        ids.forEach(c.region::subnet);
        Filters filters = Filters.of(c.params);
        out.start("subnetSet");
        for (Resources.Subnet s : c.region.subnets.values()) {
            if (!ids.isEmpty() && !ids.contains(s.id)) {
                continue;
            }
            if (!filters.matches(s.tags, f -> switch (f) {
                case "subnet-id" -> List.of(s.id);
                case "vpc-id", "vpcId" -> List.of(s.vpcId);
                case "availability-zone", "availabilityZone" -> List.of(s.availabilityZone);
                case "availability-zone-id" -> List.of(s.availabilityZoneId);
                case "default-for-az", "defaultForAz" -> List.of(String.valueOf(s.defaultForAz));
                case "cidr-block", "cidrBlock", "cidr" -> List.of(s.cidr);
                case "state" -> List.of("available");
                case "owner-id" -> List.of(c.accountId());
                case "map-public-ip-on-launch" -> List.of(String.valueOf(s.mapPublicIpOnLaunch));
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("subnetId", s.id)
                    .el("subnetArn", "arn:aws:ec2:" + c.region.region + ":" + c.accountId() + ":subnet/" + s.id)
                    .el("state", "available").el("ownerId", c.accountId()).el("vpcId", s.vpcId)
                    .el("cidrBlock", s.cidr).el("availableIpAddressCount", s.availableIpAddressCount)
                    .el("availabilityZone", s.availabilityZone).el("availabilityZoneId", s.availabilityZoneId)
                    .el("defaultForAz", s.defaultForAz).el("mapPublicIpOnLaunch", s.mapPublicIpOnLaunch)
                    .el("assignIpv6AddressOnCreation", false).tagSet(s.tags).end();
        }
        out.end();
    }

    private static void describeAccountAttributes(Call c, Xml out) {
        List<String> names = c.params.list("AttributeName");
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        attributes.put("supported-platforms", "VPC");
        attributes.put("default-vpc", c.region.defaultVpc.id);
        attributes.put("max-instances", "20");
        attributes.put("vpc-max-security-groups-per-interface", "5");
        attributes.put("max-elastic-ips", "5");
        attributes.put("vpc-max-elastic-ips", "5");
        out.start("accountAttributeSet");
        attributes.forEach((k, v) -> {
            if (names.isEmpty() || names.contains(k)) {
                out.start("item").el("attributeName", k).start("attributeValueSet").start("item")
                        .el("attributeValue", v).end().end().end();
            }
        });
        out.end();
    }
}
