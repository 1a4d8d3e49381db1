package io.github.amimaven.platform;

/** A platform's credentials cannot be found: the user's environment, not the plugin, needs fixing. */
public class MissingCredentialsException extends PlatformException {

    public MissingCredentialsException(String message) {
        super(message, true);
    }
}
