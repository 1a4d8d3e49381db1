package io.github.amimaven.model;

import java.time.Duration;

/**
 * One timeout per kind of wait, so a user can raise exactly the one that bit them; every timeout message names
 * its setting ({@link #SSH}, {@link #INSTANCE}, {@link #IMAGE}, {@link #COPY}, {@link #TEST}).
 *
 * @param ssh      SSH answering on a new machine
 * @param instance an instance running, stopped or terminated
 * @param image    an image available after it was created
 * @param copy     an image copied to another region or account
 * @param test     all verifiers against one test instance
 */
public record Timeouts(Duration instance, Duration image, Duration ssh, Duration copy, Duration test) {

    public static final String SSH = "<timeouts><ssh>";
    public static final String INSTANCE = "<timeouts><instance>";
    public static final String IMAGE = "<timeouts><image>";
    public static final String COPY = "<timeouts><copy>";
    public static final String TEST = "<timeouts><test>";

    public static final Duration DEFAULT_INSTANCE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_IMAGE = Duration.ofMinutes(60);
    public static final Duration DEFAULT_SSH = Duration.ofMinutes(5);
    public static final Duration DEFAULT_COPY = Duration.ofHours(3);
    public static final Duration DEFAULT_TEST = Duration.ofMinutes(30);

    /** The given instance and image timeouts, the defaults for the others. */
    public Timeouts(Duration instance, Duration image) {
        this(instance, image, DEFAULT_SSH, DEFAULT_COPY, DEFAULT_TEST);
    }

    public static Timeouts defaults() {
        return new Timeouts(DEFAULT_INSTANCE, DEFAULT_IMAGE);
    }

    /** {@code 90 s}, {@code 60 min}, {@code 3 h}: how timeout messages say a timeout. */
    public static String describe(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + " ms";
        }
        if (s >= 7200 && s % 3600 == 0) {
            return s / 3600 + " h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + " min";
        }
        return s + " s";
    }
}
