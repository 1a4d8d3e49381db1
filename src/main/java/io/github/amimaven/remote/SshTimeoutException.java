package io.github.amimaven.remote;

/** The machine did not accept an SSH login within the allowed time; the cause is the last attempt's error. */
public class SshTimeoutException extends SshException {

    public SshTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
