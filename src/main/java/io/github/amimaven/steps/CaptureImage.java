package io.github.amimaven.steps;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.amimaven.platform.TaggedResource;

/**
 * Creates the candidate image from the stopped builder and waits until it is available. The candidate is never
 * shared and is tagged {@code ami:status=candidate}. If the build fails after creation began (the wait timed out,
 * the image failed), cleanup deletes the image and its snapshots. Until it is available its {@code ami:expires}
 * says when it may be swept as an orphan; then {@code never}: it is the build's output.
 */
final class CaptureImage implements Step<BuildContext> {

    public static final String STATUS_TAG = "ami:status";

    @Override
    public String title() {
        return "Creating candidate image";
    }

    @Override
    public void run(BuildContext c) {
        ImageSpec image = c.image();
        c.imageName = ImageNamer.render(image.nameTemplate(), image.name(), c.project().version(), c.buildId(), Instant.now());
        Map<String, String> tags = new LinkedHashMap<>(image.tags());
        tags.putAll(c.resourceTags("candidate"));
        tags.put("Name", c.imageName);
        tags.put(STATUS_TAG, "candidate");
        tags.put("ami:source-image", c.source.id());
        tags.put("ami:version", c.project().version());
        String description = image.description() != null ? image.description()
                : image.name() + " " + c.project().version() + " built by ami-maven-plugin (build " + c.buildId() + ")";
        c.imageId = c.platform().createImage(c.machineId, c.imageName, description, tags,
                image.launch().imageVolumes());
        c.log().info("image " + c.imageId + " (" + c.imageName + ") pending, waiting until available"
                + " (timeout " + image.timeouts().image().toMinutes() + " min, <timeouts><image>)");
        long start = System.nanoTime();
        c.imageInfo = c.platform().awaitImageAvailable(c.imageId, image.timeouts().image());
        c.log().info("image " + c.imageId + " available after " + Waits.elapsed(start));
        // from now on the candidate is this build's output, not a temporary resource the orphan sweep may take
        c.platform().tagImage(c.imageInfo, Map.of(TaggedResource.EXPIRES, TaggedResource.NEVER));
    }

    @Override
    public void cleanup(BuildContext c) {
        if (c.imageId != null && !c.succeeded()) {
            try {
                c.platform().deleteImage(c.imageId);
                c.released(c.imageId);
                c.log().info("deleted failed candidate " + c.imageId + " and its snapshots");
            } catch (RuntimeException e) {
                c.leftOver("candidate image " + c.imageId + ": " + e.getMessage());
            }
        }
    }
}
