package io.github.amimaven.platform;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The goal's parameters that platforms read, by the name of their POM element ({@code region}, {@code maxAttempts};
 * the children of a block as {@code local.memory}), each as text as the POM or {@code -D} gave it; unset ones are
 * absent. Each platform kind reads its own, so the goals pass them on without knowing which platform wants which.
 *
 * @param basedir the project directory, which relative paths are relative to
 */
public record PlatformParameters(Map<String, String> values, Path basedir) {

    public PlatformParameters {
        values = Map.copyOf(values);
    }

    public PlatformParameters(Path basedir) {
        this(Map.of(), basedir);
    }

    /** These parameters and {@code name}; a null value leaves it unset. */
    public PlatformParameters with(String name, Object value) {
        if (value == null) {
            return this;
        }
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(name, value.toString());
        return new PlatformParameters(more, basedir);
    }

    /** The parameter's text, or null when it is unset. */
    public String get(String name) {
        return values.get(name);
    }

    /** The parameter as a number (Maven bound it as one), or null when it is unset. */
    public Integer integer(String name) {
        String value = values.get(name);
        return value == null ? null : Integer.valueOf(value);
    }
}
