package io.github.amimaven.validation;

import java.util.ArrayList;
import java.util.List;

import io.github.amimaven.validation.Problems;

/** Collects every configuration error at once, each naming the POM path of its field and the fix. */
public final class Errors implements Problems {

    private final List<String> messages = new ArrayList<>();

    @Override
    public void add(String pomPath, String problem, String fix) {
        messages.add(pomPath + " " + problem + ": " + fix);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new ConfigurationException(messages);
        }
    }
}
