package io.github.amimaven.testing.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** CreateTags, DeleteTags, DescribeTags, and the TagSpecification.N parameters of the create actions. */
final class TagHandlers {

    private TagHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("CreateTags", TagHandlers::createTags);
        h.put("DeleteTags", TagHandlers::deleteTags);
        h.put("DescribeTags", TagHandlers::describeTags);
    }

    /**
     * {@code TagSpecification.N.ResourceType / Tag.M.Key / Tag.M.Value} by resource type. A type the action
     * cannot tag is an error, as in EC2, so that a caller tagging the wrong thing notices.
     */
    static Map<String, Map<String, String>> tagSpecifications(Params params, Set<String> allowedTypes) {
        Map<String, Map<String, String>> byType = new LinkedHashMap<>();
        for (Params spec : params.members("TagSpecification")) {
            String type = spec.required("ResourceType");
            if (!allowedTypes.contains(type)) {
                throw Ec2Error.invalidValue("'" + type + "' is not a valid taggable resource type for this operation.");
            }
            Map<String, String> tags = byType.computeIfAbsent(type, t -> new LinkedHashMap<>());
            for (Params tag : spec.members("Tag")) {
                putTag(tags, tag.required("Key"), tag.get("Value", ""));
            }
        }
        return byType;
    }

    static void putTag(Map<String, String> tags, String key, String value) {
        if (key.startsWith("aws:")) {
            throw Ec2Error.invalidValue("Tag keys starting with 'aws:' are reserved for internal use");
        }
        if (key.length() > 128 || value.length() > 256) {
            throw Ec2Error.invalidValue("Tag key or value too long: " + key);
        }
        tags.put(key, value);
        if (tags.size() > 50) {
            throw Ec2Error.of("TagLimitExceeded", "The maximum number of tags per resource is 50");
        }
    }

    private static void createTags(Call c, Xml out) {
        List<String> ids = c.params.list("ResourceId");
        if (ids.isEmpty()) {
            throw Ec2Error.missing("ResourceId");
        }
        // validate everything first: EC2 tags all resources or none
        List<Map<String, String>> targets = new ArrayList<>();
        ids.forEach(id -> targets.add(c.region.tagsOf(id)));
        for (Map<String, String> tags : targets) {
            for (Params tag : c.params.members("Tag")) {
                putTag(tags, tag.required("Key"), tag.get("Value", ""));
            }
        }
        out.el("return", true);
    }

    private static void deleteTags(Call c, Xml out) {
        List<String> ids = c.params.list("ResourceId");
        if (ids.isEmpty()) {
            throw Ec2Error.missing("ResourceId");
        }
        List<Params> tags = c.params.members("Tag");
        for (String id : ids) {
            Map<String, String> target = c.region.tagsOf(id);
            if (tags.isEmpty()) {
                target.clear();
            }
            for (Params tag : tags) {
                String key = tag.required("Key");
                // a given value deletes the tag only if it matches; no value deletes it whatever it is
                if (!tag.has("Value") || tag.raw("Value").equals(target.get(key))) {
                    target.remove(key);
                }
            }
        }
        out.el("return", true);
    }

    private static void describeTags(Call c, Xml out) {
        Filters filters = Filters.of(c.params);
        out.start("tagSet");
        for (Object[] r : c.region.allTagged()) {
            String id = (String) r[0];
            String type = (String) r[1];
            @SuppressWarnings("unchecked")
            Map<String, String> tags = (Map<String, String>) r[2];
            for (Map.Entry<String, String> t : tags.entrySet()) {
                if (filters.matches(Map.of(), f -> switch (f) {
                    case "resource-id" -> List.of(id);
                    case "resource-type" -> List.of(type);
                    case "key" -> List.of(t.getKey());
                    case "value" -> List.of(t.getValue());
                    default -> null;
                })) {
                    out.start("item").el("resourceId", id).el("resourceType", type).el("key", t.getKey())
                            .el("value", t.getValue()).end();
                }
            }
        }
        out.end();
    }
}
