package io.github.amimaven.platform.ec2;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.amimaven.deploy.ImageCopy;
import io.github.amimaven.deploy.ImageRecord;
import io.github.amimaven.deploy.LaunchTemplateVersion;
import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.MixedInstancesPolicy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.LaunchPermission;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The deploy phase on EC2: images across regions ({@code CopyImage} with idempotency tokens, tags at creation),
 * launch and create-volume permissions, SSM parameters, launch template versions, deprecation and deregistration
 * protection, and the other accounts reached by assuming a role there. Waits and error translation are
 * {@link Ec2Platform}'s, one instance per region.
 */
public final class Ec2ReleasePlatform implements ReleasePlatform {

    private static final String RESOLVE_SSM = "resolve:ssm:";
    private static final String TEMPLATE_HINT = "check <deploy>/<launchTemplates>";

    private final Ec2Clients clients;
    private final String home;
    private final Map<String, Ec2Platform> regions = new ConcurrentHashMap<>();

    public Ec2ReleasePlatform(Ec2Clients clients, String home) {
        this.clients = clients;
        this.home = home;
    }

    @Override
    public String id() {
        return "ec2";
    }

    @Override
    public String home() {
        return home;
    }

    private Ec2Platform region(String region) {
        return regions.computeIfAbsent(region, r -> new Ec2Platform(clients.client(r), r));
    }

    private Ec2Client ec2(String region) {
        return clients.client(region);
    }

    @Override
    public Optional<ImageRecord> find(String location, String imageId) {
        return Optional.ofNullable(region(location).describeImage(imageId)).map(Ec2ReleasePlatform::record);
    }

    @Override
    public Optional<ImageRecord> findOwnByName(String location, String name) {
        return region(location).call("DescribeImages", () -> ec2(location).describeImages(r -> r.owners("self")
                .filters(Filter.builder().name("name").values(name).build())).images(), null)
                .stream().map(Ec2ReleasePlatform::record).findFirst();
    }

    @Override
    public List<ImageRecord> findOwnByTags(String location, Map<String, String> tags) {
        List<Filter> filters = tags.entrySet().stream()
                .map(t -> Filter.builder().name("tag:" + t.getKey()).values(t.getValue()).build()).toList();
        return region(location).call("DescribeImages", () -> ec2(location).describeImagesPaginator(r -> r.owners("self")
                .filters(filters)).images().stream().map(Ec2ReleasePlatform::record).toList(), null);
    }

    @Override
    public void tag(String location, String imageId, Map<String, String> tags) {
        region(location).tagImage(imageId, tags);
    }

    /** Its snapshots are known: one call. */
    @Override
    public void tag(String location, ImageRecord image, Map<String, String> tags) {
        region(location).tagImage(image.id(), image.snapshotIds(), tags);
    }

    @Override
    public void delete(String location, String imageId) {
        Ec2Platform region = region(location);
        Image image = region.describeImage(imageId);
        if (image == null) {
            return;
        }
        if (isProtected(image)) {
            region.call("DisableImageDeregistrationProtection",
                    () -> ec2(location).disableImageDeregistrationProtection(r -> r.imageId(imageId)), null);
        }
        region.deleteImage(imageId);
    }

    @Override
    public String copy(ImageCopy copy) {
        return region(copy.targetLocation()).call("CopyImage", () -> ec2(copy.targetLocation()).copyImage(r -> r
                .sourceRegion(copy.sourceLocation())
                .sourceImageId(copy.sourceImageId())
                .name(copy.name())
                .description(copy.description())
                .encrypted(copy.encrypted() ? Boolean.TRUE : null)
                .kmsKeyId(copy.kmsKeyId())
                .clientToken(copy.idempotencyToken())
                .tagSpecifications(Ec2Calls.tagSpec(ResourceType.IMAGE, copy.tags()),
                        Ec2Calls.tagSpec(ResourceType.SNAPSHOT, copy.tags()))).imageId(),
                "check <deploy>/<regions> (region enabled for the account? KMS key in that region?)");
    }

    @Override
    public ImageRecord awaitAvailable(String location, String imageId, Duration timeout) {
        // the waiter's last poll describes the image: nothing to ask again
        return record(region(location).awaitImage(imageId, timeout, io.github.amimaven.model.Timeouts.COPY));
    }

    /** Asks for the permissions the image and its snapshots lack, and only those: a re-run sends nothing. */
    @Override
    public void share(String location, ImageRecord image, ReleaseSpec.Sharing sharing) {
        List<LaunchPermission> permissions = new ArrayList<>();
        sharing.accounts().forEach(a -> permissions.add(LaunchPermission.builder().userId(a).build()));
        sharing.organizations().forEach(o -> permissions.add(LaunchPermission.builder().organizationArn(o).build()));
        sharing.organizationalUnits().forEach(u -> permissions.add(LaunchPermission.builder().organizationalUnitArn(u).build()));
        Ec2Platform region = region(location);
        String hint = "check <deploy>/<shareWith>";
        List<LaunchPermission> granted = region.call("DescribeImageAttribute", () -> ec2(location).describeImageAttribute(r -> r
                .imageId(image.id()).attribute(ImageAttributeName.LAUNCH_PERMISSION)).launchPermissions(), hint);
        List<LaunchPermission> missing = permissions.stream().filter(p -> !granted.contains(p)).toList();
        if (!missing.isEmpty()) {
            region.call("ModifyImageAttribute", () -> ec2(location).modifyImageAttribute(r -> r.imageId(image.id())
                    .launchPermission(p -> p.add(missing))), hint);
        }
        if (sharing.createVolumePermission() && !sharing.accounts().isEmpty()) {
            List<CreateVolumePermission> volumes = sharing.accounts().stream()
                    .map(a -> CreateVolumePermission.builder().userId(a).build()).toList();
            for (String snapshot : image.snapshotIds()) {
                List<CreateVolumePermission> grantedVolumes = region.call("DescribeSnapshotAttribute", () -> ec2(location)
                        .describeSnapshotAttribute(r -> r.snapshotId(snapshot)
                                .attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)).createVolumePermissions(), hint);
                List<CreateVolumePermission> missingVolumes = volumes.stream().filter(v -> !grantedVolumes.contains(v))
                        .toList();
                if (!missingVolumes.isEmpty()) {
                    region.call("ModifySnapshotAttribute", () -> ec2(location).modifySnapshotAttribute(r -> r
                            .snapshotId(snapshot).createVolumePermission(p -> p.add(missingVolumes))), hint);
                }
            }
        }
    }

    @Override
    public void putParameter(String location, String name, String imageId) {
        ssm(location, "PutParameter", () -> clients.ssm(location).putParameter(r -> r.name(name).value(imageId)
                .type(ParameterType.STRING).dataType("aws:ec2:image").overwrite(true)
                .description("image id written by ami-maven-plugin")));
    }

    @Override
    public LaunchTemplateVersion newLaunchTemplateVersion(String location, ReleaseSpec.LaunchTemplateTarget target,
            String imageId, String description) {
        Ec2Platform region = region(location);
        Ec2Client ec2 = ec2(location);
        LaunchTemplate template = describeTemplate(location, target).orElseThrow(() -> new PlatformException(
                "launch template " + target.describe() + " does not exist in " + location + ": " + TEMPLATE_HINT, true));
        String templateId = template.launchTemplateId();
        long latest = template.latestVersionNumber();
        String latestImage = latestImage(location, template);
        long version;
        boolean created;
        if (imageId.equals(latestImage)) {
            version = latest;
            created = false;
        } else {
            // the same version asked for again (a retried call, a re-run) is the same version
            String token = "ami-maven-plugin-" + templateId + "-" + imageId;
            version = region.call("CreateLaunchTemplateVersion", () -> ec2.createLaunchTemplateVersion(r -> r
                    .launchTemplateId(templateId)
                    .sourceVersion(String.valueOf(latest))
                    .versionDescription(description.length() > 255 ? description.substring(0, 255) : description)
                    .launchTemplateData(d -> d.imageId(imageId))
                    .clientToken(token)).launchTemplateVersion().versionNumber(), TEMPLATE_HINT);
            created = true;
        }
        boolean isDefault = template.defaultVersionNumber() != null && template.defaultVersionNumber() == version;
        if (target.setDefault() && !isDefault) {
            region.call("ModifyLaunchTemplate", () -> ec2.modifyLaunchTemplate(r -> r.launchTemplateId(templateId)
                    .defaultVersion(String.valueOf(version))), TEMPLATE_HINT);
            isDefault = true;
        }
        return new LaunchTemplateVersion(location, templateId, template.launchTemplateName(), version, isDefault, imageId,
                created);
    }

    @Override
    public Optional<LaunchTemplateVersion> latestLaunchTemplateVersion(String location,
            ReleaseSpec.LaunchTemplateTarget target) {
        return describeTemplate(location, target).map(t -> new LaunchTemplateVersion(location, t.launchTemplateId(),
                t.launchTemplateName(), t.latestVersionNumber(), t.latestVersionNumber().equals(t.defaultVersionNumber()),
                latestImage(location, t), false));
    }

    /** The template the target names, or empty when it does not exist. */
    private Optional<LaunchTemplate> describeTemplate(String location, ReleaseSpec.LaunchTemplateTarget target) {
        try {
            return region(location).call("DescribeLaunchTemplates", () -> ec2(location).describeLaunchTemplates(r -> {
                if (target.id() != null) {
                    r.launchTemplateIds(target.id());
                } else {
                    r.launchTemplateNames(target.name());
                }
            }).launchTemplates(), TEMPLATE_HINT).stream().findFirst();
        } catch (PlatformException e) {
            if (!(e.getCause() instanceof Ec2Exception ex && code(ex).startsWith("InvalidLaunchTemplate"))) {
                throw e;
            }
            return Optional.empty();
        }
    }

    /** The image the template's latest version launches; null when it names none. */
    private String latestImage(String location, LaunchTemplate template) {
        return region(location).call("DescribeLaunchTemplateVersions", () -> ec2(location).describeLaunchTemplateVersions(r -> r
                .launchTemplateId(template.launchTemplateId()).versions(String.valueOf(template.latestVersionNumber())))
                .launchTemplateVersions(), TEMPLATE_HINT)
                .stream().findFirst().map(v -> v.launchTemplateData() == null ? null : v.launchTemplateData().imageId())
                .orElse(null);
    }

    @Override
    public void deprecate(String location, String imageId, Instant at) {
        region(location).call("EnableImageDeprecation", () -> ec2(location).enableImageDeprecation(r -> r.imageId(imageId)
                .deprecateAt(at)), "check <deploy>/<deprecateAfter>");
    }

    @Override
    public void protectFromDeregistration(String location, String imageId) {
        Image image = region(location).describeImage(imageId);
        if (image != null && !isProtected(image)) {
            region(location).call("EnableImageDeregistrationProtection",
                    () -> ec2(location).enableImageDeregistrationProtection(r -> r.imageId(imageId)), null);
        }
    }

    @Override
    public Set<String> imagesInUse(String location) {
        Ec2Platform region = region(location);
        Ec2Client ec2 = ec2(location);
        Set<String> used = new HashSet<>();
        region.call("DescribeInstances", () -> ec2.describeInstancesPaginator(r -> r.filters(Filter.builder()
                .name("instance-state-name").values("pending", "running", "stopping", "stopped").build()))
                .reservations().forEach(res -> res.instances().forEach(i -> used.add(i.imageId()))), null);
        List<LaunchTemplate> templates = region.call("DescribeLaunchTemplates",
                () -> ec2.describeLaunchTemplatesPaginator(r -> { }).launchTemplates().stream().toList(), null);
        Map<String, Set<String>> groupVersions = versionsUsedByAutoScalingGroups(location);
        for (LaunchTemplate t : templates) {
            Set<String> versions = new LinkedHashSet<>(List.of("$Default", "$Latest"));
            versions.addAll(groupVersions.getOrDefault(t.launchTemplateId(), Set.of()));
            versions.addAll(groupVersions.getOrDefault(t.launchTemplateName(), Set.of()));
            region.call("DescribeLaunchTemplateVersions", () -> ec2.describeLaunchTemplateVersions(r -> r
                    .launchTemplateId(t.launchTemplateId()).versions(versions)).launchTemplateVersions(), null)
                    .forEach(v -> {
                        String image = v.launchTemplateData() == null ? null : v.launchTemplateData().imageId();
                        if (image != null && image.startsWith(RESOLVE_SSM)) {
                            image = resolveParameter(location, image.substring(RESOLVE_SSM.length()));
                        }
                        if (image != null) {
                            used.add(image);
                        }
                    });
        }
        return used;
    }

    /**
     * The launch template versions Auto Scaling groups launch from, by template id and by template name (a group
     * may name either): its own template's, its mixed instances policy's, and each override's, as the group pins
     * them (a number, {@code $Default} or {@code $Latest}).
     */
    private Map<String, Set<String>> versionsUsedByAutoScalingGroups(String location) {
        Map<String, Set<String>> versions = new LinkedHashMap<>();
        region(location).call("DescribeAutoScalingGroups", () -> clients.autoScaling(location)
                .describeAutoScalingGroupsPaginator(r -> { }).autoScalingGroups().forEach(group -> {
                    List<LaunchTemplateSpecification> specs = new ArrayList<>();
                    specs.add(group.launchTemplate());
                    MixedInstancesPolicy mixed = group.mixedInstancesPolicy();
                    if (mixed != null && mixed.launchTemplate() != null) {
                        specs.add(mixed.launchTemplate().launchTemplateSpecification());
                        mixed.launchTemplate().overrides().forEach(o -> specs.add(o.launchTemplateSpecification()));
                    }
                    specs.stream().filter(Objects::nonNull).forEach(s -> {
                        String version = s.version() == null ? "$Default" : s.version();
                        for (String template : new String[] {s.launchTemplateId(), s.launchTemplateName()}) {
                            if (template != null) {
                                versions.computeIfAbsent(template, k -> new LinkedHashSet<>()).add(version);
                            }
                        }
                    });
                }), "the credentials need autoscaling:DescribeAutoScalingGroups");
        return versions;
    }

    /** {@code resolve:ssm:name[:version]}: the parameter's current value, or null when it is gone. */
    private String resolveParameter(String location, String reference) {
        return parameterValue(location, reference.contains(":") ? reference.substring(0, reference.indexOf(':')) : reference)
                .orElse(null);
    }

    @Override
    public Optional<String> parameterValue(String location, String name) {
        try {
            return Optional.of(ssm(location, "GetParameter",
                    () -> clients.ssm(location).getParameter(r -> r.name(name)).parameter().value()));
        } catch (PlatformException e) {
            if (e.getCause() instanceof ParameterNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public ReleasePlatform asRole(String roleArn) {
        return new Ec2ReleasePlatform(clients.assumingRole(roleArn), home);
    }

    private <T> T ssm(String location, String action, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            String code = AwsFailures.code(e);
            String message = "SSM " + action + " in " + location + " failed: " + AwsFailures.describe(e, "SSM",
                    AwsFailures.endpoint(clients.ssm(location).serviceClientConfiguration(), SsmClient.serviceMetadata()));
            if (code.contains("Validation") || code.contains("Mismatch") || code.contains("AccessDenied")
                    || code.startsWith("Invalid") || code.startsWith("Unsupported")) {
                PlatformException p = new PlatformException(message + " (check <deploy>/<ssmParameters> and the"
                        + " credentials' ssm:PutParameter permission)", true);
                p.initCause(e);
                throw p;
            }
            throw new PlatformException(message, e);
        }
    }

    private static boolean isProtected(Image image) {
        return image.deregistrationProtection() != null && image.deregistrationProtection().startsWith("enabled");
    }

    private static String code(Ec2Exception e) {
        return AwsFailures.code(e);
    }

    static ImageRecord record(Image image) {
        Map<String, String> tags = new LinkedHashMap<>();
        image.tags().forEach(t -> tags.put(t.key(), t.value()));
        List<String> snapshots = image.blockDeviceMappings().stream()
                .filter(b -> b.ebs() != null && b.ebs().snapshotId() != null).map(b -> b.ebs().snapshotId()).toList();
        Instant created = null;
        try {
            created = image.creationDate() == null ? null : Instant.parse(image.creationDate());
        } catch (DateTimeParseException ignored) {
            // EC2 always sends ISO-8601; an image without a readable date sorts as the oldest
        }
        return new ImageRecord(image.imageId(), image.name(), image.description(), image.stateAsString(), created, tags,
                snapshots, isProtected(image));
    }
}
