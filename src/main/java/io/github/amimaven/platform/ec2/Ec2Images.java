package io.github.amimaven.platform.ec2;

import static io.github.amimaven.platform.ec2.Ec2Calls.code;
import static io.github.amimaven.platform.ec2.Ec2Calls.tagSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.Volume;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The images of {@link Ec2Platform}: the source found by id or by name and filters (and kept, for its root device),
 * an instance's image created and waited for, tagged with its snapshots, deregistered with them.
 */
final class Ec2Images {

    private final Ec2Client ec2;
    private final String region;
    private final Ec2Calls calls;
    private final Map<String, Image> resolvedImages = new ConcurrentHashMap<>();

    Ec2Images(Ec2Calls calls) {
        this.ec2 = calls.ec2();
        this.region = calls.region();
        this.calls = calls;
    }

    /** A source image {@link #resolveSource} found, or null. */
    Image resolved(String imageId) {
        return resolvedImages.get(imageId);
    }

    SourceImage resolveSource(SourceSpec source) {
        Image image;
        if (source.imageId() != null) {
            List<Image> found = calls.call("DescribeImages", () -> ec2.describeImages(r -> r.imageIds(source.imageId())).images(),
                    "check <source><id>");
            if (found.isEmpty()) {
                throw new PlatformException("source image " + source.imageId() + " does not exist in " + region
                        + ": check <source><id> and <region>", true);
            }
            image = found.get(0);
        } else {
            List<Filter> filters = new ArrayList<>();
            if (source.name() != null) {
                filters.add(Filter.builder().name("name").values(source.name()).build());
            }
            source.filters().forEach((k, v) -> filters.add(Filter.builder().name(k).values(v).build()));
            filters.add(Filter.builder().name("state").values("available").build());
            DescribeImagesRequest.Builder request = DescribeImagesRequest.builder().filters(filters);
            if (!source.owners().isEmpty()) {
                request.owners(source.owners());
            }
            List<Image> found = calls.call("DescribeImages", () -> ec2.describeImagesPaginator(request.build()).images()
                    .stream().toList(), "check <source>");
            image = found.stream().max(Comparator.comparing(i -> i.creationDate() == null ? "" : i.creationDate()))
                    .orElseThrow(() -> new PlatformException("no available image in " + region + " matches <source> ("
                            + source.describe() + "): check <source><name>, <owners> and <filters>", true));
        }
        resolvedImages.put(image.imageId(), image);
        return new SourceImage(image.imageId(), image.name(), image.creationDate());
    }

    String createImage(String machineId, String name, String description, Map<String, String> tags, List<Volume> volumes) {
        List<BlockDeviceMapping> mappings = volumes.stream().map(Ec2LaunchRequest::mapping).toList();
        return calls.call("CreateImage", () -> ec2.createImage(r -> {
            r.instanceId(machineId).name(name).description(description)
                    .tagSpecifications(tagSpec(ResourceType.IMAGE, tags), tagSpec(ResourceType.SNAPSHOT, tags));
            if (!mappings.isEmpty()) {
                r.blockDeviceMappings(mappings);
            }
        }).imageId(), volumes.isEmpty() ? "check <imageName>" : "check <imageName> and <imageVolumes>");
    }

    /**
     * One waiter from creation to available; unlike the SDK's ImageAvailable it retries the NotFound a just-created
     * image can answer, and its last poll describes the available image, so no other call is needed.
     */
    ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        return awaitImageAvailable(imageId, timeout, Timeouts.IMAGE);
    }

    /** As {@link #awaitImageAvailable(String, Duration)}, naming {@code setting} when it runs out (copies: copy). */
    ImageInfo awaitImageAvailable(String imageId, Duration timeout, String setting) {
        Image image = awaitImage(imageId, timeout, setting);
        return new ImageInfo(image.imageId(), image.name(), image.stateAsString(), image.creationDate(), snapshotIds(image));
    }

    /** Waits until the image is available and returns it as the last poll described it. */
    Image awaitImage(String imageId, Duration timeout, String setting) {
        DescribeImagesRequest request = DescribeImagesRequest.builder().imageIds(imageId).build();
        try {
            return calls.await("image " + imageId + " to become available", "DescribeImages", setting, timeout,
                    config -> imageAvailable(config).run(() -> ec2.describeImages(request))).images().get(0);
        } catch (PlatformException e) {
            Image failed;
            try {
                failed = describeImage(imageId);
            } catch (PlatformException unknown) {
                // what the wait met says more than that asking again met it too
                e.addSuppressed(unknown);
                throw e;
            }
            if (failed != null && "failed".equals(failed.stateAsString())) {
                throw new PlatformException("image " + imageId + " failed: "
                        + (failed.stateReason() == null ? "no reason given" : failed.stateReason().message()), e);
            }
            throw e;
        }
    }

    private static Waiter<DescribeImagesResponse> imageAvailable(WaiterOverrideConfiguration config) {
        return Waiter.builder(DescribeImagesResponse.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(r -> !r.images().isEmpty()
                        && r.images().stream().allMatch(i -> i.state() == ImageState.AVAILABLE)))
                .addAcceptor(WaiterAcceptor.errorOnResponseAcceptor(r -> r.images().stream()
                        .anyMatch(i -> i.state() == ImageState.FAILED || i.state() == ImageState.DEREGISTERED),
                        "the image failed"))
                .addAcceptor(WaiterAcceptor.retryOnExceptionAcceptor(e -> e instanceof Ec2Exception ex
                        && "InvalidAMIID.NotFound".equals(code(ex))))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(r -> true))
                .overrideConfiguration(config)
                .build();
    }

    void tagImage(String imageId, Map<String, String> tags) {
        Image image = describeImage(imageId);
        if (image == null) {
            throw new PlatformException("image " + imageId + " does not exist in " + region, true);
        }
        tagImage(imageId, snapshotIds(image), tags);
    }

    /** Tags the image and these snapshots of it, in one call, when the caller knows them. */
    void tagImage(String imageId, List<String> snapshotIds, Map<String, String> tags) {
        List<String> resources = new ArrayList<>();
        resources.add(imageId);
        resources.addAll(snapshotIds);
        calls.call("CreateTags", () -> ec2.createTags(r -> r.resources(resources).tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())), null);
    }

    static List<String> snapshotIds(Image image) {
        return image.blockDeviceMappings().stream().filter(b -> b.ebs() != null && b.ebs().snapshotId() != null)
                .map(b -> b.ebs().snapshotId()).toList();
    }

    void deleteImage(String imageId) {
        Image image = describeImage(imageId);
        if (image == null) {
            return;
        }
        calls.ignoringGone("DeregisterImage", () -> ec2.deregisterImage(r -> r.imageId(imageId)));
        for (BlockDeviceMapping b : image.blockDeviceMappings()) {
            if (b.ebs() != null && b.ebs().snapshotId() != null) {
                calls.ignoringGone("DeleteSnapshot", () -> ec2.deleteSnapshot(r -> r.snapshotId(b.ebs().snapshotId())));
            }
        }
    }

    Image describeImage(String imageId) {
        try {
            List<Image> images = ec2.describeImages(r -> r.imageIds(imageId)).images();
            return images.isEmpty() ? null : images.get(0);
        } catch (SdkException e) {
            if (Ec2Calls.GONE.contains(code(e))) {
                return null;
            }
            throw calls.translate("DescribeImages", e, null);
        }
    }
}
