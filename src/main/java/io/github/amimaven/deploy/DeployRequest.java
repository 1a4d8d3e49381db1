package io.github.amimaven.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What {@code deploy} is asked to do: promote and distribute these candidates.
 *
 * @param forcePromote promote candidates that did not pass verification (loudly)
 */
public record DeployRequest(List<ImageDeployment> images, boolean forcePromote) {

    public DeployRequest {
        images = List.copyOf(images);
    }

    /**
     * The chosen candidates' deployments, in their order: each as its image's release spec says (promotion in place
     * for an image without one), each copy waited for at most its image's copy timeout.
     */
    public static DeployRequest of(Map<String, Candidate> chosen, Map<String, ReleaseSpec> releases,
            Function<String, Duration> copyTimeout, boolean forcePromote) {
        List<ImageDeployment> images = new ArrayList<>();
        chosen.forEach((image, candidate) -> images.add(new ImageDeployment(image, candidate,
                releases.getOrDefault(image, ReleaseSpec.DEFAULT), copyTimeout.apply(image))));
        return new DeployRequest(images, forcePromote);
    }

    /**
     * One image to release.
     *
     * @param timeout how long one copy may take to become available
     */
    public record ImageDeployment(String image, Candidate candidate, ReleaseSpec release, Duration timeout) {
    }

    /**
     * The candidate to promote, as the build recorded it or the user named it.
     *
     * @param name the candidate image's name when known (from a manifest); null for a bare id
     * @param origin where it was found, for messages: the manifest's path, or {@code -Dami.candidate}
     */
    public record Candidate(String id, String name, String origin) {
    }
}
