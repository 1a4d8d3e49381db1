package io.github.amimaven.config;

import io.github.amimaven.validation.Errors;
import java.util.List;

/** {@code <filter>}: one DescribeImages filter, e.g. {@code tag:Team} with values {@code platform}. */
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
}
