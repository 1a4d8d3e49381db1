package io.github.amimaven.platform;

import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.SshAccess;

/**
 * What an image's settings ask of its platform, resolved from the POM for the image's platform kind to check.
 *
 * @param windows the image is a Windows one ({@code <os>windows</os>})
 * @param launch how its builder is launched, as the user set it ({@code <instanceType>} defaulted by the kind)
 * @param ssh how the build reaches the builder; null without SSH, or when its login user is missing
 */
public record ImageSettings(boolean windows, LaunchOptions launch, SshAccess ssh) {
}
