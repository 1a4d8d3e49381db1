package io.github.amimaven.validation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classes that POM elements of one list bind to (the provisioners, the verifiers), in the order error messages
 * list them. Maven looks for an element's class in the package of the class that holds the list; a registry lets the
 * classes live beside the code they configure instead.
 */
public final class Elements {

    private Elements() {
    }

    @SafeVarargs
    public static <T> Map<String, Class<? extends T>> of(Map.Entry<String, Class<? extends T>>... elements) {
        Map<String, Class<? extends T>> byName = new LinkedHashMap<>();
        for (Map.Entry<String, Class<? extends T>> e : elements) {
            byName.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(byName);
    }
}
