package io.github.amimaven.model;

import java.time.Duration;

/**
 * How the build of an image without SSH knows that the builder's user data has done its work
 * ({@code <userDataCompletion>}): nothing else tells it, since it never logs in.
 *
 * @param pause null: the user data powers the machine off at its end and the build waits until the builder has
 *        stopped by itself; otherwise the build waits this long once the builder runs, then stops it
 */
public record UserDataCompletion(Duration pause) {

    /** The default: the safe one, which cannot capture before the user data ends. */
    public static final UserDataCompletion SHUTDOWN = new UserDataCompletion(null);

    public static UserDataCompletion pauseFor(Duration pause) {
        if (pause == null || pause.isNegative()) {
            throw new IllegalArgumentException("a pause needs a length, was " + pause);
        }
        return new UserDataCompletion(pause);
    }

    public boolean waitsForShutdown() {
        return pause == null;
    }
}
