package io.github.amimaven.deploy;

/**
 * A launch template version that launches the released image.
 *
 * @param defaultVersion whether it is the template's default version now
 * @param created false when the template's latest version already used the image (a re-run), so none was added
 */
public record LaunchTemplateVersion(String region, String launchTemplateId, String launchTemplateName, long version,
        boolean defaultVersion, String imageId, boolean created) {
}
