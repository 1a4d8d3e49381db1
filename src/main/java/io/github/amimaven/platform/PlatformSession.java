package io.github.amimaven.platform;

import io.github.amimaven.deploy.ReleasePlatform;

/**
 * The platforms of one kind for one build, made by {@link PlatformKind#open}: nothing is connected before the first
 * call that needs it, and everything is closed with the build's {@link Platforms}.
 */
public interface PlatformSession extends AutoCloseable {

    /**
     * Fails fast, before any call to the platform, when its credentials cannot be found: a
     * {@link MissingCredentialsException} saying where they were looked for and how to provide them.
     */
    void checkCredentials();

    /** Where the build's images are built and tested. */
    Platform platform();

    /** The same platform as the deploy phase and {@code ami:prune} use it. */
    ReleasePlatform releasePlatform();

    /** The platform at one of the kind's {@link PlatformKind#orphanLocations}, for {@code ami:clean-orphans}. */
    Platform platformAt(String place);

    @Override
    void close();
}
