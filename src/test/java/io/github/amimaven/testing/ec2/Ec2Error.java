package io.github.amimaven.testing.ec2;

/**
 * An EC2 error as the service reports it: a code the SDKs switch on, a message for people and the HTTP status
 * that decides whether an SDK retries (5xx and throttling codes are retried, 4xx are not).
 */
final class Ec2Error extends RuntimeException {

    private final String code;
    private final int status;

    Ec2Error(String code, String message, int status) {
        super(message);
        this.code = code;
        this.status = status;
    }

    /** Most EC2 client errors are 400; the few exceptions are spelled out where they are raised. */
    static Ec2Error of(String code, String message) {
        return new Ec2Error(code, message, 400);
    }

    static Ec2Error missing(String parameter) {
        return of("MissingParameter", "The request must contain the parameter " + parameter);
    }

    static Ec2Error invalidValue(String message) {
        return of("InvalidParameterValue", message);
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
