package io.github.amimaven.platform;

import java.util.List;

/** An image that became available, with the storage behind it (EC2 snapshot ids, or the local disk file). */
public record ImageInfo(String id, String name, String state, String creationDate, List<String> snapshotIds) {

    public ImageInfo {
        snapshotIds = snapshotIds == null ? List.of() : List.copyOf(snapshotIds);
    }
}
