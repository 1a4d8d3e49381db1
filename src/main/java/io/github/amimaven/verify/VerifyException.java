package io.github.amimaven.verify;

/** The verifier could not run, as opposed to a check that failed: the message names the tool and the cause. */
public class VerifyException extends Exception {

    public VerifyException(String message) {
        super(message);
    }

    public VerifyException(String message, Throwable cause) {
        super(message, cause);
    }
}
