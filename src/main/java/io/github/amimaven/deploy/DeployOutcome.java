package io.github.amimaven.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code deploy} did, as the goal reports it: a line per released image and the problems that fail the goal.
 *
 * @param refused the images that had no candidate to deploy ({@link CandidateChoice.Choice#refused()})
 * @param releases what each deployed image's steps did
 */
public record DeployOutcome(List<String> refused, List<ImageRelease> releases) {

    public DeployOutcome {
        refused = List.copyOf(refused);
        releases = List.copyOf(releases);
    }

    /**
     * One line of the goal's failure; {@code cause} is null when the deploy phase refused on its own (no candidate,
     * not verified), which is the user's to fix.
     */
    public record Problem(String line, Exception cause) {
    }

    /** Per promoted image whether it is released everywhere, and where; then the copies other accounts own. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        for (ImageRelease r : releases) {
            if (!r.promoted()) {
                continue;
            }
            lines.add(String.format("  %-24s %-10s %s", r.image(), r.complete() ? "RELEASED" : "PARTIAL",
                    r.regions().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", "))));
            r.accounts().forEach((account, regions) -> lines.add("    account " + account + ": " + regions));
        }
        return lines;
    }

    /** Every image not deployed completely, and why; a re-run resumes each where it stopped. */
    public List<Problem> problems() {
        List<Problem> problems = new ArrayList<>();
        refused.forEach(line -> problems.add(new Problem(line, null)));
        for (ImageRelease r : releases) {
            if (r.refused() != null) {
                problems.add(new Problem("[" + r.image() + "] " + r.refused(), null));
            }
            r.problems().forEach(p -> problems.add(new Problem("[" + r.image() + "] " + p.describe(), p.failure())));
        }
        return problems;
    }
}
