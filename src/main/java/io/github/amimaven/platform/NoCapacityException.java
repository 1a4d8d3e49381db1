package io.github.amimaven.platform;

/**
 * The platform cannot start a machine of this type on this market now (EC2: InsufficientInstanceCapacity, a type not
 * offered where the machine would run, a spot price above the maximum): another type, or on demand rather than spot,
 * may still start.
 */
public class NoCapacityException extends PlatformException {

    private final String answer;

    /** @param answer the platform's own words, e.g. EC2's error code and message */
    public NoCapacityException(String message, String answer, Throwable cause) {
        super(message, cause);
        this.answer = answer;
    }

    /** The platform's own words for the refusal, e.g. {@code InsufficientInstanceCapacity: We currently do not…}. */
    public String answer() {
        return answer;
    }
}
