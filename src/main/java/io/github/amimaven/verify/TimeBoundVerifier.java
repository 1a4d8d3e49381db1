package io.github.amimaven.verify;

import java.time.Duration;

/**
 * A verifier with the time it may take ({@code <timeout>}): past it the pipeline stops it and its tool.
 *
 * @param setting the POM path that raises the bound, for the message
 */
public record TimeBoundVerifier(Verifier verifier, Duration timeout, String setting) implements Verifier {

    /** Without {@code <timeout>}; {@code <timeouts><test>} still bounds all verifiers together. */
    public static final Duration DEFAULT = Duration.ofMinutes(30);

    @Override
    public String describe() {
        return verifier.describe();
    }

    @Override
    public VerifierReport verify(VerifyContext ctx) throws VerifyException, InterruptedException {
        return verifier.verify(ctx);
    }

    @Override
    public boolean checksHostKey() {
        return verifier.checksHostKey();
    }

    /** The verifier itself, whether bound or not. */
    public static Verifier unwrap(Verifier v) {
        return v instanceof TimeBoundVerifier b ? b.verifier() : v;
    }
}
