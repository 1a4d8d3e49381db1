package io.github.amimaven.testing.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flat EC2 Query parameters ({@code Filter.1.Value.2=x}) seen through a prefix, so that nested structures
 * (filters, tag specifications, block device mappings) read like objects. Indexes are ordered numerically and
 * may have gaps, as the protocol allows.
 */
final class Params {

    private final Map<String, String> values;

    Params(Map<String, String> values) {
        this.values = values;
    }

    /**
     * The value, or null when absent or empty: aws-sdk-go sends fields that were set to "" (Packer does, e.g.
     * {@code IamInstanceProfile.Name=} and {@code Placement.AvailabilityZone=}), and EC2 treats them as unset.
     */
    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The value as sent, empty strings included (tag values may be empty). */
    String raw(String name) {
        return values.get(name);
    }

    String get(String name, String fallback) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            throw Ec2Error.missing(name);
        }
        return v;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Boolean bool(String name) {
        String v = get(name);
        return v == null ? null : Boolean.parseBoolean(v);
    }

    boolean bool(String name, boolean fallback) {
        Boolean b = bool(name);
        return b == null ? fallback : b;
    }

    Integer integer(String name) {
        String v = values.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw Ec2Error.invalidValue("Invalid value '" + v + "' for " + name);
        }
    }

    int integer(String name, int fallback) {
        Integer i = integer(name);
        return i == null ? fallback : i;
    }

    /** {@code prefix.1}, {@code prefix.2}, ... in index order. */
    List<String> list(String prefix) {
        TreeMap<Integer, String> ordered = new TreeMap<>();
        String start = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(start)) {
                String rest = e.getKey().substring(start.length());
                Integer index = index(rest);
                if (index != null) {
                    ordered.put(index, e.getValue());
                }
            }
        }
        return new ArrayList<>(ordered.values());
    }

    /** The structures {@code prefix.N.*}, each seen as its own Params, in index order. */
    List<Params> members(String prefix) {
        TreeMap<Integer, Map<String, String>> ordered = new TreeMap<>();
        String start = prefix + ".";
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith(start)) {
                continue;
            }
            String rest = e.getKey().substring(start.length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                continue;
            }
            Integer index = index(rest.substring(0, dot));
            if (index != null) {
                ordered.computeIfAbsent(index, i -> new LinkedHashMap<>()).put(rest.substring(dot + 1), e.getValue());
            }
        }
        List<Params> result = new ArrayList<>();
        ordered.values().forEach(m -> result.add(new Params(m)));
        return result;
    }

    /** The structure {@code prefix.*} (not indexed), e.g. {@code IamInstanceProfile.Name}. */
    Params child(String prefix) {
        Map<String, String> sub = new LinkedHashMap<>();
        String start = prefix + ".";
        values.forEach((k, v) -> {
            if (k.startsWith(start)) {
                sub.put(k.substring(start.length()), v);
            }
        });
        return new Params(sub);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    Map<String, String> asMap() {
        return values;
    }

    private static Integer index(String s) {
        if (s.isEmpty() || s.length() > 6) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return null;
            }
        }
        return Integer.parseInt(s);
    }
}
