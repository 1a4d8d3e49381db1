package io.github.amimaven.verify;

/**
 * One set of checks run against a machine booted from a candidate image: an InSpec profile, Pester tests,
 * serverspec specs, testinfra tests, or built-in command assertions.
 *
 * <p>A failing check is a result, not an exception: {@link #verify} returns it in the report.
 * {@link VerifyException} means the verifier itself could not run (its tool is missing, it exited with a code
 * that means an error, its report cannot be read).</p>
 */
public interface Verifier {

    /** Short description for the step's headline and the report, e.g. {@code inspec profiles/baseline}. */
    String describe();

    VerifierReport verify(VerifyContext ctx) throws VerifyException, InterruptedException;

    /**
     * False for a tool that cannot be handed the host key the plugin's session verified, and so connects with its
     * own checking (off): {@code <strictHostKeys>} then does not cover it, which the user is told.
     */
    default boolean checksHostKey() {
        return true;
    }
}
