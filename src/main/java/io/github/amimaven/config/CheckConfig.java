package io.github.amimaven.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.amimaven.verify.CommandVerifier;

/**
 * One element of {@code <command>}/{@code <checks>}: {@code <run>}, {@code <fileCheck>}, {@code <packageInstalled>},
 * {@code <service>}, {@code <port>}; each a class of this package named after its element.
 */
public abstract class CheckConfig {

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
