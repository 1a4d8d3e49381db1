package io.github.amimaven.platform;

/**
 * A platform call failed. {@code userError} marks failures the user's input caused (an unknown source image, a
 * name already taken), as opposed to the environment breaking.
 */
public class PlatformException extends RuntimeException {

    private final boolean userError;

    public PlatformException(String message, boolean userError) {
        super(message);
        this.userError = userError;
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
        this.userError = false;
    }

    public boolean isUserError() {
        return userError;
    }
}
