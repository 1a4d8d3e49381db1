package io.github.amimaven.platform;

/** The image a build starts from, as resolved. */
public record SourceImage(String id, String name, String creationDate) {
}
