package io.github.amimaven.steps;

import java.util.Map;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.verify.Verdict;

/**
 * Acts on the verdict: a passing candidate is tagged {@code ami:status=verified}, one whose tests were skipped
 * {@code ami:verified=false}; a failed one is deleted with its storage or, when failed candidates are kept for
 * inspection, tagged {@code ami:status=failed}.
 */
public final class TagOrRetireCandidate implements Step<VerdictContext> {

    private final String image;
    private final boolean keepFailedCandidates;

    public TagOrRetireCandidate(String image, boolean keepFailedCandidates) {
        this.image = image;
        this.keepFailedCandidates = keepFailedCandidates;
    }

    @Override
    public String title() {
        return "Tagging or retiring the candidate of " + image;
    }

    @Override
    public void run(VerdictContext c) {
        BuildLog log = c.log();
        String id = c.candidateId;
        switch (c.verdict.outcome()) {
            case TESTS_SKIPPED -> {
                log.warn("ami: " + image + " " + id + " NOT VERIFIED (tests skipped): tagged ami:verified=false; deploy"
                        + " refuses it unless -Dami.forcePromote");
                c.platform.tagImage(id, Map.of("ami:verified", "false"));
            }
            case VERIFIED, ACCEPTED_UNTESTED -> {
                boolean untested = c.verdict.outcome() == Verdict.Outcome.ACCEPTED_UNTESTED;
                c.platform.tagImage(id, Map.of("ami:status", "verified", "ami:verified", untested ? "false" : "true"));
                log.info("ami: " + image + " " + id + (untested ? " accepted untested (allowUntested)" : " verified"));
            }
            case FAILED -> {
                if (keepFailedCandidates) {
                    c.platform.tagImage(id, Map.of("ami:status", "failed"));
                    log.warn("ami: kept failed candidate " + id + " (keepFailedCandidates), tagged ami:status=failed");
                } else {
                    c.platform.deleteImage(id);
                    log.info("ami: deleted failed candidate " + id + " of " + image);
                }
            }
        }
    }
}
