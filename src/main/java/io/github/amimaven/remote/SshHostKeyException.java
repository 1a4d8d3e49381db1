package io.github.amimaven.remote;

/** The server presented a host key other than the one expected: possibly not the machine we meant to reach. */
public class SshHostKeyException extends SshException {

    public SshHostKeyException(String message) {
        super(message);
    }
}
