package io.github.amimaven.config;

import io.github.amimaven.validation.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <filter>}: one EC2 Describe* filter (of images, subnets or security groups), e.g. {@code tag:Team} with values
 * {@code platform}.
 */
public class FilterConfig {

    /** The filter name, as EC2 documents it ({@code architecture}, {@code tag:Name}, {@code root-device-type}…). */
    private String name;

    /** Accepted values; wildcards allowed where EC2 allows them. */
    private List<String> values;

    public FilterConfig() {
    }

    public FilterConfig(String name, List<String> values) {
        this.name = name;
        this.values = values;
    }

    public String getName() { return name; }
    public List<String> getValues() { return values == null ? List.of() : values; }

    void validate(String at, Errors errors) {
        if (name == null || name.isBlank()) {
            errors.add(at + "/<name>", "is missing", "name the EC2 filter, e.g. <name>architecture</name>");
        }
        if (values == null || values.isEmpty()) {
            errors.add(at + "/<values>", "is missing", "give at least one <value>");
        }
    }

    /** Checks each filter of the list at {@code at} (e.g. {@code .../<filters>}). */
    static void validate(List<FilterConfig> filters, String at, Errors errors) {
        if (filters != null) {
            for (int i = 0; i < filters.size(); i++) {
                filters.get(i).validate(at + "/<filter>[" + (i + 1) + "]", errors);
            }
        }
    }

    /**
     * Filter name to accepted values, as EC2 takes them; filters of the same name add up their values. A filter without
     * a name is left out: {@link #validate} reports it.
     */
    static Map<String, List<String>> asMap(List<FilterConfig> filters) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        if (filters != null) {
            for (FilterConfig filter : filters) {
                if (filter.getName() != null) {
                    f.computeIfAbsent(filter.getName(), k -> new ArrayList<>()).addAll(filter.getValues());
                }
            }
        }
        return f;
    }
}
