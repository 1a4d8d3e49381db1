package io.github.amimaven.model;

import java.nio.file.Path;

/** The Maven coordinates and directories of the image project, as plain values. */
public record ProjectInfo(String groupId, String artifactId, String version, Path basedir, Path outputDirectory) {

    public String coordinates() {
        return groupId + ":" + artifactId;
    }
}
