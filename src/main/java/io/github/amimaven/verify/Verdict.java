package io.github.amimaven.verify;

import java.util.Optional;

/**
 * What {@code verify} concludes about one image's candidate from what {@code integration-test} recorded.
 *
 * @param problem why the candidate failed, for the goal's failure message; null unless {@link Outcome#FAILED}
 */
public record Verdict(Outcome outcome, String problem) {

    /** The tests were skipped ({@code -Dami.skipTests}): there is nothing to judge. */
    public static final Verdict TESTS_SKIPPED = new Verdict(Outcome.TESTS_SKIPPED, null);

    public enum Outcome {
        TESTS_SKIPPED,
        /** Every check passed. */
        VERIFIED,
        /** It declares no verifier and allows that ({@code <allowUntested>}). */
        ACCEPTED_UNTESTED,
        FAILED
    }

    /**
     * The verdict on {@code image} by {@code summary}'s rules ({@link TestSummary#problem}).
     *
     * @param untested the image declares no verifier
     */
    public static Verdict of(TestSummary summary, String image, boolean untested, boolean allowUntested) {
        Optional<String> problem = summary.problem(image, untested && allowUntested);
        if (problem.isPresent()) {
            return new Verdict(Outcome.FAILED, problem.get());
        }
        return new Verdict(untested ? Outcome.ACCEPTED_UNTESTED : Outcome.VERIFIED, null);
    }
}
