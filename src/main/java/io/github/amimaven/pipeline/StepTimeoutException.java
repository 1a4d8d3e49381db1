package io.github.amimaven.pipeline;

/** A provisioner or verifier ran longer than its {@code <timeout>} and was stopped. */
public final class StepTimeoutException extends Exception {

    public StepTimeoutException(String message) {
        super(message);
    }
}
