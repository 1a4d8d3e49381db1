package io.github.amimaven.validation;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** The "did you mean" of an error message: the known word closest to a mistyped one, if it is close enough. */
public final class Suggestions {

    private Suggestions() {
    }

    /** The word of {@code known} nearest to {@code unknown}, ignoring case, within a third of its length (at least 2 edits). */
    public static Optional<String> closest(String unknown, Collection<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> distance(k, unknown)))
                .filter(k -> distance(k, unknown) <= Math.max(2, unknown.length() / 3));
    }

    /** Levenshtein distance, ignoring case. */
    private static int distance(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
