package io.github.amimaven.config;

/**
 * {@code <userDataCompletion>}: how the build knows that the user data of an image with
 * {@code <communicator>none</communicator>} has done its work, so that the builder is captured after it and not
 * during it. Taken as a whole from {@code <defaults>} when the image has none of its own.
 */
public class UserDataCompletionConfig {

    /**
     * {@code shutdown} (default): the user data ends by powering the machine off (the builder is launched to stop,
     * not end, on that) and the build waits until it has stopped, within {@code <timeouts><instance>}.
     * {@code pause}: for user data that cannot power the machine off; the build waits {@code <pause>} once the
     * builder runs, then stops it.
     */
    private String waitFor;

    /** With {@code <waitFor>pause</waitFor>}: how long the user data needs, e.g. {@code 3m}; at most {@code <timeouts><instance>}. */
    private String pause;

    public String getWaitFor() { return waitFor; }
    public String getPause() { return pause; }

    public UserDataCompletionConfig waitFor(String v) { waitFor = v; return this; }
    public UserDataCompletionConfig pause(String v) { pause = v; return this; }
}
