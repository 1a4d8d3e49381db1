package io.github.amimaven.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A copy that a re-run finds instead of making again: the promotion's release copy, a region's copy, an account's
 * copy. A copy still pending is waited for, a failed one deleted and copied again, and each request carries an
 * idempotency token derived from what it copies, so that a request repeated (a retry after a lost answer) is the
 * same copy.
 */
final class ResumableCopy {

    private ResumableCopy() {
    }

    /** A token that names one copy for good: the same copy requested again is the same copy. */
    static String idempotencyToken(String... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
            return "ami-maven-plugin-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The image {@code copy} names, made by {@code target} unless an earlier run already did ({@code earlier}: the
     * target's own image of that name), available and tagged.
     *
     * @param what the copy, for the log: {@code copy to us-east-1}
     */
    static ImageRecord make(DeployContext context, ReleasePlatform target, ImageCopy copy, Optional<ImageRecord> earlier,
            String what) throws InterruptedException {
        String location = copy.targetLocation();
        String id = null;
        boolean tagged = false;
        // said once: a copy found available is not announced as available again
        boolean foundAvailable = false;
        if (earlier.isPresent()) {
            ImageRecord e = earlier.get();
            if (e.isFailed()) {
                context.log().warn("an earlier " + what + " (" + e.id() + ") failed: deleting it and copying again");
                target.delete(location, e.id());
                copy = copy.withIdempotencyToken(idempotencyToken(copy.idempotencyToken(), "after", e.id()));
            } else {
                id = e.id();
                foundAvailable = e.isAvailable();
                context.log().info(what + " exists already (" + id + ", " + e.state() + "): not copied again"
                        + (foundAvailable ? "" : ", waiting until available"));
            }
        }
        if (id == null) {
            id = target.copy(copy);
            // tagged as it was created, its snapshots too
            tagged = true;
            context.log().info(what + ": " + id + " pending, waiting until available (timeout "
                    + context.deployment.timeout().toMinutes() + " min, raise <timeouts><copy>)");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        ImageRecord available = target.awaitAvailable(location, id, context.deployment.timeout());
        if (!tagged) {
            // an earlier run's copy: its tags may be an older build's
            target.tag(location, available, copy.tags());
        }
        if (!foundAvailable) {
            context.log().info(what + ": " + id + " available");
        }
        return available;
    }
}
