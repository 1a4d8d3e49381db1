package io.github.amimaven.steps;

import java.time.Duration;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanRules;

/**
 * How {@link ImageBuilds} runs a build beyond its images.
 *
 * @param resourceLifetime how long temporary resources live before any build may remove them ({@code ami:expires})
 * @param registry where the build records that it runs and when it finished, so that a later sweep can tell it
 *        died; null records nothing (and then the build's leftovers are judged by their expiry alone)
 * @param cleanOrphansFirst before the images, remove what earlier builds of the same project left behind in the
 *        images' locations (needs {@code registry})
 */
public record RunOptions(Duration resourceLifetime, BuildRegistry registry, boolean cleanOrphansFirst) {

    public RunOptions {
        if (resourceLifetime == null || resourceLifetime.isNegative() || resourceLifetime.isZero()) {
            throw new IllegalArgumentException("resource lifetime must be positive: " + resourceLifetime);
        }
    }

    /** The default lifetime, no registry, no sweep: what tests driving single pipelines need. */
    public static RunOptions defaults() {
        return new RunOptions(OrphanRules.DEFAULT_LIFETIME, null, false);
    }
}
