package io.github.amimaven.remote;

/**
 * The connection went away before the operation finished, for example because the command rebooted the
 * machine. Callers that expect a reboot catch this one and reconnect.
 */
public class SshDisconnectedException extends SshException {

    public SshDisconnectedException(String message) {
        super(message);
    }

    public SshDisconnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
