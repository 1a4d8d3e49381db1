package io.github.amimaven.config;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanRules;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.PlatformKinds;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.steps.RunOptions;

/**
 * The validated configuration a goal works from.
 *
 * @param specs the images, in the POM's order
 * @param releases what deploy does with each image, by name
 * @param run how {@code ImageBuilds} runs the goal's pipelines: the resource lifetime, the sweep at start
 */
public record Definitions(List<ImageSpec> specs, Map<String, ReleaseSpec> releases, RunOptions run) {

    static final Duration MIN_LIFETIME = Duration.ofMinutes(10);
    static final Duration MAX_LIFETIME = Duration.ofDays(30);

    /**
     * The parameters every goal reads, as Maven bound them.
     *
     * @param platform the build's {@code <platform>}, or null
     * @param platforms the parameters the platform kinds read and check
     */
    public record Request(List<ImageConfig> images, ImageConfig defaults, String platform, int threads,
            int maxAttempts, String resourceLifetime, boolean cleanOrphansAtStart, PlatformParameters platforms,
            ProjectInfo project) {
    }

    /**
     * Validates the whole configuration, before any cloud call, or throws a {@link ConfigurationException} listing
     * every problem.
     */
    public static Definitions resolve(Request r) {
        Errors errors = new Errors();
        if (r.threads() < 1 || r.threads() > 64) {
            errors.add("<threads>", "is " + r.threads(), "build 1 to 64 images at a time");
        }
        if (r.maxAttempts() < 1 || r.maxAttempts() > 50) {
            errors.add("<maxAttempts>", "is " + r.maxAttempts(), "choose 1 to 50 attempts per call");
        }
        Duration lifetime = Durations.parse(r.resourceLifetime(), "<resourceLifetime>", MIN_LIFETIME, MAX_LIFETIME, errors);
        List<ImageSpec> specs = ImageDefinitions.resolve(r.images(), r.defaults(), r.platform(), r.project(), errors);
        Map<String, ReleaseSpec> releases = ImageDefinitions.releases(r.images(), r.defaults(), r.platform(), r.platforms(),
                errors);
        PlatformKinds.registered().checkParameters(r.platforms(),
                ImageDefinitions.platformsUsed(r.images(), r.defaults(), r.platform()), errors);
        errors.throwIfAny();
        return new Definitions(specs, releases, new RunOptions(lifetime != null ? lifetime : OrphanRules.DEFAULT_LIFETIME,
                BuildRegistry.atDefaultLocation(), r.cleanOrphansAtStart()));
    }
}
