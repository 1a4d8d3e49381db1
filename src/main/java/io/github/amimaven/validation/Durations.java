package io.github.amimaven.validation;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as users write them: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 30d}, ISO-8601
 * {@code PT10M}, or seconds.
 */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {
    }

    /** Null when {@code text} is null; adds an error and returns null when it cannot be read or is out of range. */
    public static Duration parse(String text, String pomPath, Duration min, Duration max, Errors errors) {
        if (text == null) {
            return null;
        }
        Duration d;
        try {
            d = parseOrNull(text.trim());
        } catch (ArithmeticException beyondAnyDuration) {
            return outOfRange(text, pomPath, min, max, errors);
        }
        if (d == null) {
            errors.add(pomPath, "'" + text + "' is not a duration", "write e.g. 90s, 10m, 1h30m or PT10M");
            return null;
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            return outOfRange(text, pomPath, min, max, errors);
        }
        return d;
    }

    private static Duration outOfRange(String text, String pomPath, Duration min, Duration max, Errors errors) {
        errors.add(pomPath, "'" + text + "' is out of range", "choose between " + format(min) + " and " + format(max));
        return null;
    }

    /**
     * Null when {@code text} is not a duration.
     *
     * @throws ArithmeticException when it is one, longer than {@link Long#MAX_VALUE} seconds
     */
    public static Duration parseOrNull(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(new BigInteger(text).longValueExact());
        }
        if (text.startsWith("P") || text.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                // the text has the form of a duration, but a number in it is too large for java.time
                if (e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException) {
                    throw new ArithmeticException(text + " is longer than any duration");
                }
                return null;
            }
        }
        Matcher m = SHORT.matcher(text);
        if (!m.matches() || (m.group(1) == null && m.group(2) == null && m.group(3) == null && m.group(4) == null)) {
            return null;
        }
        long[] unitSeconds = {86_400, 3600, 60, 1};
        BigInteger seconds = BigInteger.ZERO;
        for (int g = 1; g <= 4; g++) {
            if (m.group(g) != null) {
                seconds = seconds.add(new BigInteger(m.group(g)).multiply(BigInteger.valueOf(unitSeconds[g - 1])));
            }
        }
        return Duration.ofSeconds(seconds.longValueExact());
    }

    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s % 86_400 == 0 && s >= 86_400) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s >= 60) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
