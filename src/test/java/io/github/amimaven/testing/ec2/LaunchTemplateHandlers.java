package io.github.amimaven.testing.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Launch templates: create, new versions from a source version, default version, describe. A version's data is
 * kept as the flat {@code LaunchTemplateData.*} parameters; responses show the scalar ones ({@code ImageId},
 * {@code InstanceType}, {@code KeyName}, {@code UserData}).
 */
final class LaunchTemplateHandlers {

    private static final List<String> SCALARS = List.of("ImageId", "InstanceType", "KeyName", "UserData");

    private LaunchTemplateHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("CreateLaunchTemplate", LaunchTemplateHandlers::create);
        h.put("CreateLaunchTemplateVersion", LaunchTemplateHandlers::createVersion);
        h.put("ModifyLaunchTemplate", LaunchTemplateHandlers::modify);
        h.put("DescribeLaunchTemplates", LaunchTemplateHandlers::describe);
        h.put("DescribeLaunchTemplateVersions", LaunchTemplateHandlers::describeVersions);
        h.put("DeleteLaunchTemplate", LaunchTemplateHandlers::delete);
    }

    private static Map<String, String> data(Params params) {
        return new LinkedHashMap<>(params.child("LaunchTemplateData").asMap());
    }

    private static void create(Call c, Xml out) {
        String name = c.params.required("LaunchTemplateName");
        if (!name.matches("[a-zA-Z0-9().\\-/_]{3,128}")) {
            throw Ec2Error.invalidValue("Invalid launch template name: " + name);
        }
        for (Resources.LaunchTemplate t : c.region.launchTemplates.values()) {
            if (t.name.equals(name)) {
                throw Ec2Error.of("InvalidLaunchTemplateName.AlreadyExistsException",
                        "Launch template name already in use.");
            }
        }
        Resources.LaunchTemplate t = new Resources.LaunchTemplate();
        t.id = RegionState.newId("lt-");
        t.name = name;
        t.createTime = Instant.now();
        t.defaultVersion = 1;
        t.tags.putAll(TagHandlers.tagSpecifications(c.params, Set.of("launch-template")).getOrDefault("launch-template", Map.of()));
        t.versions.put(1L, new Resources.LaunchTemplateVersion(1, c.params.get("VersionDescription"), data(c.params), t.createTime));
        c.region.launchTemplates.put(t.id, t);
        writeTemplate(out.start("launchTemplate"), t).end();
    }

    /** By {@code LaunchTemplateId} or {@code LaunchTemplateName}, as EC2 resolves them. */
    private static Resources.LaunchTemplate template(Call c, Params p) {
        String id = p.get("LaunchTemplateId");
        String name = p.get("LaunchTemplateName");
        if (id != null) {
            Resources.LaunchTemplate t = c.region.launchTemplates.get(id);
            if (t == null) {
                throw Ec2Error.of("InvalidLaunchTemplateId.NotFound", "The specified launch template, with template ID "
                        + id + ", does not exist.");
            }
            return t;
        }
        if (name == null) {
            throw Ec2Error.missing("LaunchTemplateId or LaunchTemplateName");
        }
        return c.region.launchTemplates.values().stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> Ec2Error.of("InvalidLaunchTemplateName.NotFoundException",
                        "The specified launch template, with template name " + name + ", does not exist."));
    }

    private static Resources.LaunchTemplateVersion version(Resources.LaunchTemplate t, String ref) {
        long number;
        if ("$Latest".equals(ref)) {
            number = t.latestVersion();
        } else if ("$Default".equals(ref)) {
            number = t.defaultVersion;
        } else {
            try {
                number = Long.parseLong(ref);
            } catch (NumberFormatException e) {
                throw Ec2Error.of("InvalidLaunchTemplateVersion.Malformed", "Invalid version: " + ref);
            }
        }
        Resources.LaunchTemplateVersion v = t.versions.get(number);
        if (v == null) {
            throw Ec2Error.of("InvalidLaunchTemplateId.VersionNotFound", "Could not find launch template version "
                    + ref + " of " + t.id);
        }
        return v;
    }

    private static void createVersion(Call c, Xml out) {
        Resources.LaunchTemplate t = template(c, c.params);
        String token = c.params.get("ClientToken");
        if (token != null && t.clientTokens.containsKey(token)) {
            writeVersion(out.start("launchTemplateVersion"), t, t.versions.get(t.clientTokens.get(token))).end();
            return;
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (c.params.get("SourceVersion") != null) {
            data.putAll(version(t, c.params.get("SourceVersion")).data());
        }
        data.putAll(data(c.params));
        long number = t.latestVersion() + 1;
        Resources.LaunchTemplateVersion v = new Resources.LaunchTemplateVersion(number, c.params.get("VersionDescription"),
                data, Instant.now());
        t.versions.put(number, v);
        if (token != null) {
            t.clientTokens.put(token, number);
        }
        writeVersion(out.start("launchTemplateVersion"), t, v).end();
    }

    private static void modify(Call c, Xml out) {
        Resources.LaunchTemplate t = template(c, c.params);
        String defaultVersion = c.params.get("SetDefaultVersion");
        if (defaultVersion != null) {
            t.defaultVersion = version(t, defaultVersion).number();
        }
        writeTemplate(out.start("launchTemplate"), t).end();
    }

    private static void describe(Call c, Xml out) {
        List<String> ids = c.params.list("LaunchTemplateId");
        List<String> names = c.params.list("LaunchTemplateName");
        List<Resources.LaunchTemplate> found = new ArrayList<>();
        if (!ids.isEmpty() || !names.isEmpty()) {
            ids.forEach(id -> found.add(template(c, new Params(Map.of("LaunchTemplateId", id)))));
            names.forEach(n -> found.add(template(c, new Params(Map.of("LaunchTemplateName", n)))));
        } else {
            found.addAll(c.region.launchTemplates.values());
        }
        Filters filters = Filters.of(c.params);
        out.start("launchTemplates");
        for (Resources.LaunchTemplate t : found) {
            if (filters.matches(t.tags, f -> switch (f) {
                case "launch-template-name" -> List.of(t.name);
                case "create-time" -> List.of(Xml.time(t.createTime));
                default -> null;
            })) {
                writeTemplate(out.start("item"), t).end();
            }
        }
        out.end();
    }

    private static void describeVersions(Call c, Xml out) {
        Resources.LaunchTemplate t = template(c, c.params);
        List<String> refs = c.params.list("LaunchTemplateVersion");
        List<Resources.LaunchTemplateVersion> versions = new ArrayList<>();
        if (refs.isEmpty()) {
            versions.addAll(t.versions.values());
        } else {
            refs.forEach(r -> {
                Resources.LaunchTemplateVersion v = version(t, r);
                if (!versions.contains(v)) {
                    versions.add(v);
                }
            });
        }
        out.start("launchTemplateVersionSet");
        versions.forEach(v -> writeVersion(out.start("item"), t, v).end());
        out.end();
    }

    private static void delete(Call c, Xml out) {
        Resources.LaunchTemplate t = template(c, c.params);
        c.region.launchTemplates.remove(t.id);
        writeTemplate(out.start("launchTemplate"), t).end();
    }

    private static Xml writeTemplate(Xml out, Resources.LaunchTemplate t) {
        return out.el("launchTemplateId", t.id).el("launchTemplateName", t.name).el("createTime", t.createTime)
                .el("createdBy", "arn:aws:iam::000000000000:root").el("defaultVersionNumber", t.defaultVersion)
                .el("latestVersionNumber", t.latestVersion()).tagSet(t.tags);
    }

    private static Xml writeVersion(Xml out, Resources.LaunchTemplate t, Resources.LaunchTemplateVersion v) {
        out.el("launchTemplateId", t.id).el("launchTemplateName", t.name).el("versionNumber", v.number())
                .el("versionDescription", v.description()).el("createTime", v.createTime())
                .el("createdBy", "arn:aws:iam::000000000000:root").el("defaultVersion", v.number() == t.defaultVersion)
                .start("launchTemplateData");
        for (String key : SCALARS) {
            out.el(Character.toLowerCase(key.charAt(0)) + key.substring(1), v.data().get(key));
        }
        return out.end();
    }
}
