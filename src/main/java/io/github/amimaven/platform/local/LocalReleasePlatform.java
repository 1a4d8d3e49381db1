package io.github.amimaven.platform.local;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.amimaven.deploy.ImageCopy;
import io.github.amimaven.deploy.ImageRecord;
import io.github.amimaven.deploy.LaunchTemplateVersion;
import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.platform.PlatformException;

/**
 * The deploy phase on the local platform: one store, so images are found, retagged and deleted there. Copies,
 * sharing and publishing do not exist here; the configuration refuses them for local images.
 */
public final class LocalReleasePlatform implements ReleasePlatform {

    private final LocalPlatform platform;

    public LocalReleasePlatform(LocalPlatform platform) {
        this.platform = platform;
    }

    @Override
    public String id() {
        return "local";
    }

    @Override
    public String home() {
        return platform.location();
    }

    @Override
    public Optional<ImageRecord> find(String location, String imageId) {
        return platform.store().findById(imageId).map(LocalReleasePlatform::record);
    }

    @Override
    public Optional<ImageRecord> findOwnByName(String location, String name) {
        return platform.store().list().stream().filter(i -> name.equals(i.name())).findFirst().map(LocalReleasePlatform::record);
    }

    @Override
    public List<ImageRecord> findOwnByTags(String location, Map<String, String> tags) {
        return platform.store().list().stream().map(LocalReleasePlatform::record)
                .filter(r -> tags.entrySet().stream().allMatch(t -> t.getValue().equals(r.tags().get(t.getKey()))))
                .toList();
    }

    @Override
    public void tag(String location, String imageId, Map<String, String> tags) {
        platform.tagImage(imageId, tags);
    }

    @Override
    public void delete(String location, String imageId) {
        platform.deleteImage(imageId);
    }

    @Override
    public ImageRecord awaitAvailable(String location, String imageId, Duration timeout) {
        platform.awaitImageAvailable(imageId, timeout);
        return find(location, imageId).orElseThrow(() -> new PlatformException("image " + imageId + " disappeared", false));
    }

    @Override
    public Set<String> imagesInUse(String location) {
        // local VMs run on overlays only while a goal runs; nothing outlives the build
        return Set.of();
    }

    @Override
    public String copy(ImageCopy copy) {
        throw ec2Only("copying images");
    }

    @Override
    public void share(String location, ImageRecord image, ReleaseSpec.Sharing sharing) {
        throw ec2Only("sharing");
    }

    @Override
    public void putParameter(String location, String name, String imageId) {
        throw ec2Only("SSM parameters");
    }

    @Override
    public LaunchTemplateVersion newLaunchTemplateVersion(String location, ReleaseSpec.LaunchTemplateTarget template,
            String imageId, String description) {
        throw ec2Only("launch templates");
    }

    @Override
    public Optional<String> parameterValue(String location, String name) {
        throw ec2Only("SSM parameters");
    }

    @Override
    public Optional<LaunchTemplateVersion> latestLaunchTemplateVersion(String location,
            ReleaseSpec.LaunchTemplateTarget template) {
        throw ec2Only("launch templates");
    }

    @Override
    public void deprecate(String location, String imageId, Instant at) {
        throw ec2Only("deprecation");
    }

    @Override
    public void protectFromDeregistration(String location, String imageId) {
        throw ec2Only("deregistration protection");
    }

    @Override
    public ReleasePlatform asRole(String roleArn) {
        throw ec2Only("other accounts");
    }

    private static PlatformException ec2Only(String what) {
        return new PlatformException(what + " is EC2-only: the local platform keeps images in one store", true);
    }

    private static ImageRecord record(LocalImage image) {
        Map<String, String> tags = new LinkedHashMap<>(image.tags());
        if (image.status() != null) {
            // the metadata's status is the truth; the tag is how the deploy phase reads it on every platform
            tags.put(ImageRecord.STATUS_TAG, image.status());
        }
        Instant created = null;
        try {
            created = image.created() == null ? null : Instant.parse(image.created());
        } catch (DateTimeParseException ignored) {
            // sorts as the oldest
        }
        return new ImageRecord(image.id(), image.name(), image.description(), image.state(), created, tags, List.of(),
                false);
    }
}
