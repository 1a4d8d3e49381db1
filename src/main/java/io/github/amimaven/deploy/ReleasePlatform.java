package io.github.amimaven.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A platform as the deploy phase and {@code ami:prune} see it: images found by id, name or tags, retagged, copied
 * between locations and accounts, shared, published and retired. Every call names its location: an EC2 region, or
 * the local store.
 *
 * <p>EC2 implements all of it. The local platform keeps images in one store and only finds, tags and deletes
 * them; the configuration refuses region copies, sharing and publishing for local images, so the deploy phase
 * never asks it for them.</p>
 *
 * <p>Like {@link io.github.amimaven.platform.Platform}, a call that starts something returns its id at once, and a
 * delete of something already gone succeeds.</p>
 */
public interface ReleasePlatform {

    /** {@code ec2} or {@code local}. */
    String id();

    /** Where candidates are built and promoted: the build region, or the store directory. */
    String home();

    /** The image, or empty when it does not exist (or this account cannot see it). */
    Optional<ImageRecord> find(String location, String imageId);

    /** This account's image with exactly this name (EC2 names are unique per region and account). */
    Optional<ImageRecord> findOwnByName(String location, String name);

    /** This account's images that carry every one of these tags. */
    List<ImageRecord> findOwnByTags(String location, Map<String, String> tags);

    /** Adds or replaces tags on the image and its storage (EC2: its snapshots). */
    void tag(String location, String imageId, Map<String, String> tags);

    /** As {@link #tag(String, String, Map)} for an image already found, whose storage need not be looked up. */
    default void tag(String location, ImageRecord image, Map<String, String> tags) {
        tag(location, image.id(), tags);
    }

    /** Deletes the image and its storage, lifting deregistration protection first. */
    void delete(String location, String imageId);

    /** Starts the copy and returns the new image's id without waiting. */
    String copy(ImageCopy copy);

    /** Waits until the image is available, with backoff, for at most {@code timeout}. */
    ImageRecord awaitAvailable(String location, String imageId, Duration timeout);

    /** Grants launch permission (and create-volume permission on the snapshots, when asked). Idempotent. */
    void share(String location, ImageRecord image, ReleaseSpec.Sharing sharing);

    /** Writes the image id to an SSM parameter of that region, overwriting the previous value. */
    void putParameter(String location, String name, String imageId);

    /**
     * Adds a version launching {@code imageId} to the template, based on its latest version (nothing is added when
     * the latest version already launches it), and makes it the default when the target says so.
     */
    LaunchTemplateVersion newLaunchTemplateVersion(String location, ReleaseSpec.LaunchTemplateTarget template,
            String imageId, String description);

    /** The SSM parameter's value in that region, or empty when it does not exist. Reads only. */
    Optional<String> parameterValue(String location, String name);

    /**
     * The template's latest version as it is ({@code created} false), or empty when the template does not exist.
     * Reads only: what {@link #newLaunchTemplateVersion} would start from.
     */
    Optional<LaunchTemplateVersion> latestLaunchTemplateVersion(String location, ReleaseSpec.LaunchTemplateTarget template);

    void deprecate(String location, String imageId, Instant at);

    void protectFromDeregistration(String location, String imageId);

    /**
     * Ids of images a non-terminated instance, a launch template's default or latest version, or a launch template
     * version an Auto Scaling group launches from (its own, its mixed instances policy's or an override's), uses.
     */
    Set<String> imagesInUse(String location);

    /** The same platform seen from another account, through a role assumed there. */
    ReleasePlatform asRole(String roleArn);
}
