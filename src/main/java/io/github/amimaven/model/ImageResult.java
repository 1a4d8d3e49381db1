package io.github.amimaven.model;

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
}
