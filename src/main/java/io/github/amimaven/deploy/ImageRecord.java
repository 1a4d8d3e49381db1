package io.github.amimaven.deploy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image as the deploy phase sees it, in one location (EC2 region, or the local store).
 *
 * @param state {@code pending}, {@code available} or {@code failed}
 * @param tags its tags; {@code ami:status} says candidate, verified, released or failed
 */
public record ImageRecord(String id, String name, String description, String state, Instant created,
        Map<String, String> tags, List<String> snapshotIds, boolean deregistrationProtected) {

    public static final String STATUS_TAG = "ami:status";
    public static final String STATUS_CANDIDATE = "candidate";
    public static final String STATUS_VERIFIED = "verified";
    public static final String STATUS_RELEASED = "released";
    /** What the resource is to its build ({@code builder}, {@code candidate}…); a release's is {@code release}. */
    public static final String ROLE_TAG = "ami:role";
    public static final String ROLE_RELEASE = "release";
    /** {@code false} on a candidate that passed untested, or whose tests were skipped. */
    public static final String VERIFIED_TAG = "ami:verified";
    /** Where a region or account copy came from: {@code <build region>/<released image id>}. */
    public static final String COPIED_FROM_TAG = "ami:copied-from";

    public ImageRecord {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        snapshotIds = snapshotIds == null ? List.of() : List.copyOf(snapshotIds);
    }

    public String status() {
        return tags.get(STATUS_TAG);
    }

    /** A candidate that {@code verify} did not judge because {@code -Dami.skipTests} skipped its tests. */
    public boolean testsSkipped() {
        return STATUS_CANDIDATE.equals(status()) && "false".equals(tags.get(VERIFIED_TAG));
    }

    public boolean isAvailable() {
        return "available".equals(state);
    }

    public boolean isFailed() {
        return "failed".equals(state) || "error".equals(state);
    }
}
