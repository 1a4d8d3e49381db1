package io.github.amimaven.platform;

import io.github.amimaven.model.ImageSpec;

/** Gives each image the platform it runs on; owns the platforms' clients and closes them at the end. */
public interface PlatformProvider extends AutoCloseable {

    Platform platformFor(ImageSpec image);

    @Override
    void close();
}
