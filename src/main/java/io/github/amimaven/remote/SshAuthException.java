package io.github.amimaven.remote;

/** The server refused our key, or the key itself is unusable. */
public class SshAuthException extends SshException {

    public SshAuthException(String message) {
        super(message);
    }

    public SshAuthException(String message, Throwable cause) {
        super(message, cause);
    }
}
