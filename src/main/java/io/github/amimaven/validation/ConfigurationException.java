package io.github.amimaven.validation;

import java.util.List;

/** The POM's configuration is wrong; the message lists every problem found, one per line. */
public class ConfigurationException extends RuntimeException {

    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super(format(problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigurationException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }

    private static String format(List<String> problems) {
        if (problems.size() == 1) {
            return "Invalid ami-maven-plugin configuration: " + problems.get(0);
        }
        StringBuilder b = new StringBuilder("Invalid ami-maven-plugin configuration (" + problems.size() + " problems):");
        problems.forEach(p -> b.append("\n  - ").append(p));
        return b.toString();
    }
}
