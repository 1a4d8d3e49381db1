package io.github.amimaven.provision;

/** Provisioning failed because of what the image's definition asked for (a script failed, a file is missing). */
public class ProvisionException extends Exception {

    public ProvisionException(String message) {
        super(message);
    }

    public ProvisionException(String message, Throwable cause) {
        super(message, cause);
    }
}
