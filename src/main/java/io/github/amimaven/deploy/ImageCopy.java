package io.github.amimaven.deploy;

import java.util.Map;

/**
 * A copy to start: from an image in {@code sourceLocation} to a new image named {@code name} in
 * {@code targetLocation}, tagged (image and snapshots) at creation.
 *
 * @param idempotencyToken the same token gives the same copy, so a retried or repeated request copies nothing twice
 */
public record ImageCopy(String sourceLocation, String sourceImageId, String targetLocation, String name,
        String description, String kmsKeyId, boolean encrypted, Map<String, String> tags, String idempotencyToken) {

    public ImageCopy {
        tags = Map.copyOf(tags);
    }

    /** The same copy under another token: a new copy in place of a failed one. */
    ImageCopy withIdempotencyToken(String token) {
        return new ImageCopy(sourceLocation, sourceImageId, targetLocation, name, description, kmsKeyId, encrypted, tags,
                token);
    }
}
