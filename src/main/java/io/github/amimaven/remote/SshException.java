package io.github.amimaven.remote;

/** Something went wrong talking SSH to a machine; the message names the machine. */
public class SshException extends Exception {

    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
