package io.github.amimaven.testing.ec2;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;

/**
 * Auto Scaling's {@code CreateAutoScalingGroup} and {@code DescribeAutoScalingGroups} (Query protocol, on the
 * endpoint's port, told apart by the SigV4 scope's service {@code autoscaling}): a group's launch template, pinned to
 * a version or not, and a mixed instances policy's template and overrides, which is what decides which launch
 * template versions a group may launch from. Groups belong to the account and region of the scope, like EC2
 * resources; they launch nothing.
 */
final class AutoScalingApi {

    private static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
    private static final String MIXED = "MixedInstancesPolicy.LaunchTemplate.";

    /** Answers the request; returns the outcome for the request log. */
    String serve(HttpExchange exchange, String requestId, AccountState account, String region, String action,
            Params params) throws IOException {
        account.countRequest(action, params.asMap());
        String result;
        try {
            synchronized (account) {
                RegionState state = account.region(region);
                result = switch (action) {
                    case "CreateAutoScalingGroup" -> create(state, params);
                    case "DescribeAutoScalingGroups" -> describe(state, params);
                    default -> throw new Ec2Error("InvalidAction", "Could not find operation " + action, 400);
                };
            }
        } catch (Ec2Error e) {
            account.countFailed(action);
            Ec2TestEndpoint.respond(exchange, e.status(), requestId, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + "<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>Sender</Type><Code>" + Xml.escape(e.code())
                    + "</Code><Message>" + Xml.escape(String.valueOf(e.getMessage())) + "</Message></Error><RequestId>"
                    + requestId + "</RequestId></ErrorResponse>");
            return e.status() + " " + e.code();
        }
        Ec2TestEndpoint.respond(exchange, 200, requestId, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action
                + "Response xmlns=\"" + NAMESPACE + "\">" + result + "<ResponseMetadata><RequestId>" + requestId
                + "</RequestId></ResponseMetadata></" + action + "Response>");
        return "200";
    }

    private static String create(RegionState state, Params p) {
        String name = p.required("AutoScalingGroupName");
        if (state.autoScalingGroups.containsKey(name)) {
            throw new Ec2Error("AlreadyExists", "AutoScalingGroup by this name already exists - A group with the name "
                    + name + " already exists", 400);
        }
        Resources.LaunchTemplateReference template = reference(state, p, "LaunchTemplate.");
        Resources.LaunchTemplateReference mixed = reference(state, p, MIXED + "LaunchTemplateSpecification.");
        if ((template == null) == (mixed == null)) {
            throw new Ec2Error("ValidationError", "Valid requests must contain either LaunchTemplate, LaunchConfigurationName,"
                    + " InstanceId or MixedInstancesPolicy parameter.", 400);
        }
        List<Resources.LaunchTemplateReference> overrides = p.members(MIXED + "Overrides.member").stream()
                .map(o -> reference(state, o, "LaunchTemplateSpecification.")).filter(r -> r != null).toList();
        state.autoScalingGroups.put(name, new Resources.AutoScalingGroup(name, template, mixed, overrides));
        return "";
    }

    /** The template {@code prefix} names by id or name, resolved to both as Auto Scaling answers; null when none. */
    private static Resources.LaunchTemplateReference reference(RegionState state, Params p, String prefix) {
        String id = p.get(prefix + "LaunchTemplateId");
        String name = p.get(prefix + "LaunchTemplateName");
        if (id == null && name == null) {
            return null;
        }
        Resources.LaunchTemplate t = state.launchTemplates.values().stream()
                .filter(l -> l.id.equals(id) || l.name.equals(name)).findFirst()
                .orElseThrow(() -> new Ec2Error("ValidationError", "You must use a valid fully-formed launch template."
                        + " The specified launch template, with template " + (id != null ? "ID " + id : "name " + name)
                        + ", does not exist.", 400));
        return new Resources.LaunchTemplateReference(t.id, t.name, p.get(prefix + "Version", "$Default"));
    }

    private static String describe(RegionState state, Params p) {
        List<String> names = p.list("AutoScalingGroupNames.member");
        Xml out = new Xml().start("DescribeAutoScalingGroupsResult").start("AutoScalingGroups");
        state.autoScalingGroups.values().stream().filter(g -> names.isEmpty() || names.contains(g.name())).forEach(g -> {
            out.start("member").el("AutoScalingGroupName", g.name()).el("MinSize", 0).el("MaxSize", 0)
                    .el("DesiredCapacity", 0);
            if (g.launchTemplate() != null) {
                write(out.start("LaunchTemplate"), g.launchTemplate()).end();
            }
            if (g.mixedInstances() != null) {
                out.start("MixedInstancesPolicy").start("LaunchTemplate");
                write(out.start("LaunchTemplateSpecification"), g.mixedInstances()).end();
                out.start("Overrides");
                g.overrides().forEach(o -> write(out.start("member").start("LaunchTemplateSpecification"), o).end().end());
                out.end().end().end();
            }
            out.end();
        });
        return out.end().end().toString();
    }

    private static Xml write(Xml out, Resources.LaunchTemplateReference r) {
        return out.el("LaunchTemplateId", r.id()).el("LaunchTemplateName", r.name()).el("Version", r.version());
    }
}
