package io.github.amimaven.pipeline;

import java.time.Duration;

/** One timeout per kind of wait, so a user can raise exactly the one that bit them. */
public record Timeouts(Duration instance, Duration image) {

    public static final Duration DEFAULT_INSTANCE = Duration.ofMinutes(15);
    public static final Duration DEFAULT_IMAGE = Duration.ofMinutes(60);
    public static final Duration DEFAULT_SSH = Duration.ofMinutes(5);

    public static Timeouts defaults() {
        return new Timeouts(DEFAULT_INSTANCE, DEFAULT_IMAGE);
    }
}
