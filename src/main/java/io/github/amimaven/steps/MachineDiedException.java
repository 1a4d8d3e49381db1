package io.github.amimaven.steps;

/** The machine a step was waiting on stopped, ended or faulted underneath it. */
public final class MachineDiedException extends Exception {

    public MachineDiedException(String message) {
        super(message);
    }
}
