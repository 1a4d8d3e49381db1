package io.github.amimaven.platform;

/**
 * A platform call failed. {@code userError} marks failures the user's input caused (an unknown source image, a
 * name already taken), as opposed to the environment breaking.
 */
public class PlatformException extends RuntimeException {

    private final boolean userError;
    private final boolean timeout;

    public PlatformException(String message, boolean userError) {
        super(message);
        this.userError = userError;
        this.timeout = false;
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
        this.userError = false;
        this.timeout = cause instanceof PlatformException p && p.timeout;
    }

    private PlatformException(String message, Throwable cause, boolean timeout) {
        super(message, cause);
        this.userError = false;
        this.timeout = timeout;
    }

    /**
     * A wait that ran out: {@code <what> after 60 min: raise <timeouts><image> if this is expected}. Not a user
     * error, but the message names the setting that bounds the wait.
     */
    public static PlatformException timedOut(String what, java.time.Duration timeout, String setting, Throwable cause) {
        String message = what + " after " + io.github.amimaven.model.Timeouts.describe(timeout) + ": raise " + setting
                + " if this is expected";
        return new PlatformException(message, cause, true);
    }

    public boolean isUserError() {
        return userError;
    }

    /** A wait ran out ({@link #timedOut}), here or in the exception this one wraps. */
    public boolean isTimeout() {
        return timeout;
    }
}
