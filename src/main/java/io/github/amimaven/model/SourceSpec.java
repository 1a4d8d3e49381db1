package io.github.amimaven.model;

import java.util.List;
import java.util.Map;

/**
 * How to find the image a build starts from: an id, or filters of which the newest match wins.
 *
 * @param imageId an exact id; when set the other fields are ignored
 * @param owners owner account ids or aliases ({@code self}, {@code amazon})
 * @param name a name pattern with {@code *} and {@code ?} wildcards
 * @param filters further platform filters, name to accepted values
 * @param path local platform: a disk image file (qcow2 or raw)
 */
public record SourceSpec(String imageId, List<String> owners, String name, Map<String, List<String>> filters,
        String path) {

    public SourceSpec {
        owners = owners == null ? List.of() : List.copyOf(owners);
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }

    /** How a user would recognise this source in an error message. */
    public String describe() {
        if (imageId != null) {
            return "image id " + imageId;
        }
        if (path != null) {
            return "file " + path;
        }
        StringBuilder b = new StringBuilder();
        if (name != null) {
            b.append("name '").append(name).append("'");
        }
        if (!owners.isEmpty()) {
            b.append(b.length() > 0 ? ", " : "").append("owners ").append(String.join(",", owners));
        }
        filters.forEach((k, v) -> b.append(b.length() > 0 ? ", " : "").append(k).append('=').append(String.join(",", v)));
        return b.toString();
    }
}
