package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.amimaven.validation.Elements;

/**
 * One element of {@code <command>}/{@code <checks>}, bound to the class {@link #ELEMENTS} registers for its name.
 */
public abstract class CheckConfig {

    /** The checks {@code <command>} can run, by element: a new check registers here. */
    public static final Map<String, Class<? extends CheckConfig>> ELEMENTS = Elements.of(
            Map.entry("run", Run.class),
            Map.entry("fileCheck", FileCheck.class),
            Map.entry("packageInstalled", PackageInstalled.class),
            Map.entry("service", Service.class),
            Map.entry("port", Port.class));

    abstract String element();

    /** Validates, and returns the check or null when there were errors. */
    abstract CommandVerifier.Check toCheck(String at, Errors errors);

    /** A regex, multiline so that {@code ^} and {@code $} match at line boundaries. */
    static Pattern regex(String value, String at, Errors errors) {
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value, Pattern.MULTILINE);
        } catch (PatternSyntaxException e) {
            errors.add(at, "'" + value + "' is not a valid regular expression (" + e.getDescription() + ")",
                    "write a Java regex; it must be found somewhere in the text");
            return null;
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
