package io.github.amimaven.config;

import io.github.amimaven.validation.Errors;
import java.util.List;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.PlatformKind;

/** {@code <source>}: the image a build starts from. */
public class SourceConfig {

    /** An exact image id ({@code ami-…}); the other fields are then ignored. */
    private String id;

    /** Owner account ids or aliases ({@code self}, {@code amazon}, {@code aws-marketplace}). */
    private List<String> owners;

    /** Image name pattern; {@code *} and {@code ?} are wildcards. The newest match wins. */
    private String name;

    /** Further DescribeImages filters, e.g. {@code <filter><name>architecture</name><values>x86_64</values></filter>}. */
    private List<FilterConfig> filters;

    /** Local platform: a disk image file (qcow2 or raw), relative to the project directory. */
    private String path;

    public String getId() { return id; }
    public List<String> getOwners() { return owners; }
    public String getName() { return name; }
    public List<FilterConfig> getFilters() { return filters; }
    public String getPath() { return path; }

    public SourceConfig id(String v) { id = v; return this; }
    public SourceConfig owners(List<String> v) { owners = v; return this; }
    public SourceConfig name(String v) { name = v; return this; }
    public SourceConfig filters(List<FilterConfig> v) { filters = v; return this; }
    public SourceConfig path(String v) { path = v; return this; }

    boolean isEmpty() {
        return id == null && (owners == null || owners.isEmpty()) && name == null
                && (filters == null || filters.isEmpty()) && path == null;
    }

    /** Checks the fields, those naming the platform's images as {@code kind} says (null: an unknown platform). */
    void validate(String at, PlatformKind kind, Errors errors) {
        if (isEmpty()) {
            errors.add(at, "is empty", "set <id>, or <name> with <owners>, or <filters>");
            return;
        }
        if (kind != null) {
            kind.checkSource(id, owners, path, at, errors);
        }
        FilterConfig.validate(filters, at + "/<filters>", errors);
    }

    SourceSpec toSpec(java.nio.file.Path basedir) {
        String resolvedPath = path == null ? null : basedir.resolve(path).normalize().toString();
        return new SourceSpec(id, owners, name, FilterConfig.asMap(filters), resolvedPath);
    }
}
