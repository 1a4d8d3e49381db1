package io.github.amimaven.platform.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * One image of the local store: the metadata kept in {@code <id>.json} beside the disk {@code <id>.qcow2}.
 *
 * @param id image id, {@code img-} and 16 hex digits
 * @param name the image name
 * @param description free text, may be null
 * @param version the image version (from tag {@code ami:version}), may be null
 * @param status life-cycle status: {@code candidate}, {@code released} or {@code failed}
 * @param state capture state: {@code pending} (being written), {@code available} or {@code failed}
 * @param tags the tags given at capture, and later updates
 * @param sourceImage what the builder machine was launched from (a store id or a file path)
 * @param created ISO-8601 instant of the capture
 * @param file the disk file's name, relative to the store directory
 * @param format disk format ({@code qcow2})
 * @param sizeBytes size of the disk file
 * @param sha256 hex SHA-256 of the disk file
 * @param message why the capture failed, when it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record LocalImage(String id, String name, String description, String version, String status, String state,
        Map<String, String> tags, String sourceImage, String created, String file, String format, Long sizeBytes,
        String sha256, String message) {

    public static final String STATUS_CANDIDATE = "candidate";
    public static final String STATUS_RELEASED = "released";
    public static final String STATUS_FAILED = "failed";

    public static final String STATE_PENDING = "pending";
    public static final String STATE_AVAILABLE = "available";
    public static final String STATE_FAILED = "failed";

    public LocalImage {
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
    }

    public LocalImage withStatus(String newStatus) {
        return new LocalImage(id, name, description, version, newStatus, state, tags, sourceImage, created, file,
                format, sizeBytes, sha256, message);
    }

    public LocalImage withTags(Map<String, String> newTags) {
        return new LocalImage(id, name, description, version, status, state, newTags, sourceImage, created, file,
                format, sizeBytes, sha256, message);
    }

    public LocalImage withState(String newState, Long newSize, String newSha256, String newMessage) {
        return new LocalImage(id, name, description, version, status, newState, tags, sourceImage, created, file,
                format, newSize, newSha256, newMessage);
    }

    public boolean isAvailable() {
        return STATE_AVAILABLE.equals(state);
    }
}
