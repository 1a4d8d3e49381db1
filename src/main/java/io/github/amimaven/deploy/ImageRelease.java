package io.github.amimaven.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code deploy} did for one image: the manifest records it.
 *
 * @param releasedId the released image in the build region; null when the image was not promoted
 * @param regions region to image id, the build region included, for every region that has its copy
 * @param accounts account id to region to image id, for copies owned by other accounts
 * @param parameters region to SSM parameter name to the image id written
 * @param refused why the candidate was not promoted (not verified, missing); null when it was
 * @param problems what failed after promotion began; a re-run resumes there
 */
public record ImageRelease(String image, String platform, String home, ReleaseSpec.Promotion promotion,
        String releaseName, String releasedId, Instant releasedAt, Map<String, String> regions,
        Map<String, Map<String, String>> accounts, ReleaseSpec.Sharing sharedWith,
        Map<String, Map<String, String>> parameters, List<LaunchTemplateVersion> launchTemplates, Instant deprecateAt,
        boolean deregistrationProtection, String refused, List<Problem> problems) {

    /** A step that failed, e.g. {@code copying to us-east-1}. */
    public record Problem(String step, Exception failure) {
        public String describe() {
            return step + ": " + failure.getMessage();
        }
    }

    public boolean promoted() {
        return releasedId != null;
    }

    public boolean complete() {
        return promoted() && refused == null && problems.isEmpty();
    }
}
