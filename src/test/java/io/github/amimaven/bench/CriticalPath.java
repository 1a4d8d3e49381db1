package io.github.amimaven.bench;

import java.time.Duration;

/**
 * The least time a build can take on an endpoint with these latencies: the sum of the waits along one image's
 * dependency chain. Launch, stop and capture follow each other; the copies to other regions start together once the
 * image is available, so they add one copy's time however many regions there are. Images are independent of each
 * other, so more images add nothing while each has a thread; with fewer threads they queue in rounds.
 *
 * <p>Terminating the builder is not on the path: the image is complete when it is available, and nothing waits for
 * the termination of a builder that has no security group to delete.</p>
 */
public final class CriticalPath {

    private CriticalPath() {
    }

    /** Launch to candidate: running, then stopped, then the image available. */
    public static Duration candidate(Latencies l) {
        return l.instancePending().plus(l.instanceStopping()).plus(l.imagePending());
    }

    /** Launch to an image released in {@code regions} regions, the build region included. */
    public static Duration released(Latencies l, int regions) {
        if (regions < 1) {
            throw new IllegalArgumentException("regions must be at least 1, was " + regions);
        }
        return regions == 1 ? candidate(l) : candidate(l).plus(l.imageCopy());
    }

    /** {@code images} images built {@code threads} at a time, each released in {@code regions} regions. */
    public static Duration build(Latencies l, int images, int regions, int threads) {
        if (images < 1 || threads < 1) {
            throw new IllegalArgumentException("images and threads must be at least 1");
        }
        int rounds = (images + threads - 1) / threads;
        return released(l, regions).multipliedBy(rounds);
    }

    /**
     * What a measured run spent beyond the critical path and the start-up of the same Maven command with the
     * plugin skipped.
     */
    public record Overhead(Duration wall, Duration startup, Duration criticalPath) {

        public Duration absolute() {
            return wall.minus(startup).minus(criticalPath);
        }

        /** The overhead as a percentage of the critical path. */
        public double percentOfCriticalPath() {
            return 100.0 * absolute().toMillis() / criticalPath.toMillis();
        }

        /** The targets: at most 3 % of the critical path and under 1 s. */
        public boolean meetsTargets() {
            return percentOfCriticalPath() <= 3.0 && absolute().compareTo(Duration.ofSeconds(1)) < 0;
        }
    }
}
