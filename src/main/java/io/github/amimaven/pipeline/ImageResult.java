package io.github.amimaven.pipeline;

import java.time.Instant;
import java.util.List;

import io.github.amimaven.verify.VerifierReport;

/**
 * What one image's pipeline produced.
 *
 * @param failure null on success
 */
public record ImageResult(ImageSpec image, String platform, String location, String buildId, String sourceId,
        String sourceName, String imageId, String imageName, List<String> snapshotIds, Instant startedAt,
        Instant finishedAt, String failedStep, Exception failure, List<String> leftovers,
        List<VerifierReport> verifierReports) {

    public boolean succeeded() {
        return failure == null;
    }

    static ImageResult of(BuildContext c, Exception failure) {
        return new ImageResult(c.image(), c.platform().id(), c.platform().location(), c.buildId(),
                c.source == null ? null : c.source.id(), c.source == null ? null : c.source.name(),
                c.imageId, c.imageName, c.imageInfo == null ? List.of() : c.imageInfo.snapshotIds(),
                c.startedAt(), Instant.now(), c.failedStep, failure, c.leftovers(), List.copyOf(c.verifierReports));
    }
}
