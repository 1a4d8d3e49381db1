package io.github.amimaven.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.github.amimaven.deploy.ImageRecord;
import io.github.amimaven.deploy.LaunchTemplateVersion;
import io.github.amimaven.deploy.Pruner;
import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.plan.Plan.AccountPlan;
import io.github.amimaven.plan.Plan.ExistingImage;
import io.github.amimaven.plan.Plan.ImagePlan;
import io.github.amimaven.plan.Plan.ParameterPlan;
import io.github.amimaven.plan.Plan.RegionPlan;
import io.github.amimaven.plan.Plan.TemplatePlan;

/**
 * {@code ami:plan}: what a build and its deploy would do, found with read calls only. The source is resolved as the
 * build would resolve it, the candidate named as it would be named now, and every place the release would go is
 * looked at for what is there already.
 */
public final class Planner {

    /** What the candidate's name holds where the build's random id goes. */
    static final String BUILD_ID = "{buildId}";

    /** One image to plan, with its platform seen by the build and by the deploy phase. */
    public record Target(ImageSpec image, ReleaseSpec release, Platform platform, ReleasePlatform releases) {
    }

    private final ProjectInfo project;
    private final Instant now;

    /** @param now the time the candidate names are rendered with, as a build starting now would */
    public Planner(ProjectInfo project, Instant now) {
        this.project = project;
        this.now = now;
    }

    public Plan plan(List<Target> targets) {
        return new Plan(now.toString(), targets.stream().map(this::plan).toList());
    }

    private ImagePlan plan(Target t) {
        ImageSpec image = t.image();
        ReleaseSpec release = t.release();
        ReleasePlatform releases = t.releases();
        SourceImage source = t.platform().resolveSource(image.source());
        String candidateName = ImageNamer.render(image.nameTemplate(), image.name(), project.version(), BUILD_ID, now);
        String releaseName = release.promotion() == ReleaseSpec.Promotion.COPY
                ? ImageNamer.releaseName(candidateName) : candidateName;
        String home = releases.home();
        Set<String> releaseRegions = new LinkedHashSet<>();
        releaseRegions.add(home);
        release.regions().forEach(r -> releaseRegions.add(r.region()));

        List<RegionPlan> regions = new ArrayList<>();
        for (String region : releaseRegions) {
            List<ExistingImage> earlier = releases.findOwnByTags(region, Pruner.releaseTags(project.coordinates(),
                    image.name())).stream()
                    .filter(i -> !i.name().equals(releaseName))
                    .sorted(Comparator.comparing(ImageRecord::created, Comparator.nullsLast(Comparator.reverseOrder())))
                    .map(i -> existing(region, i)).toList();
            regions.add(new RegionPlan(region, region.equals(home), existingNamed(releases, region, releaseName), earlier));
        }
        List<AccountPlan> accounts = new ArrayList<>();
        for (ReleaseSpec.AccountCopy copy : release.accountCopies()) {
            List<String> copyRegions = copy.regions().isEmpty() ? List.copyOf(releaseRegions) : copy.regions();
            ReleasePlatform theirs = releases.asRole(copy.roleArn());
            List<ExistingImage> copies = copyRegions.stream().map(r -> existingNamed(theirs, r, releaseName))
                    .filter(Objects::nonNull).toList();
            accounts.add(new AccountPlan(copy.accountId(), copy.roleArn(), copyRegions, copies));
        }
        List<ParameterPlan> parameters = new ArrayList<>();
        for (String region : releaseRegions) {
            for (String name : release.ssmParameters()) {
                parameters.add(new ParameterPlan(region, name, releases.parameterValue(region, name).orElse(null)));
            }
        }
        List<TemplatePlan> templates = release.launchTemplates().stream().map(lt -> {
            String region = lt.region() == null ? home : lt.region();
            Optional<LaunchTemplateVersion> latest = releases.latestLaunchTemplateVersion(region, lt);
            return new TemplatePlan(region, lt.describe(), lt.setDefault(), latest.isPresent(),
                    latest.map(LaunchTemplateVersion::launchTemplateId).orElse(null),
                    latest.map(LaunchTemplateVersion::version).orElse(null),
                    latest.map(LaunchTemplateVersion::imageId).orElse(null));
        }).toList();
        ReleaseSpec.Sharing sharing = release.sharing();
        return new ImagePlan(image.name(), image.platform(), home,
                new Plan.Source(source.id(), source.name(), source.creationDate()), candidateName,
                release.promotion().name().toLowerCase(Locale.ROOT), releaseName, regions,
                new Plan.Sharing(sharing.accounts(), sharing.organizations(), sharing.organizationalUnits(),
                        sharing.createVolumePermission()),
                accounts, parameters, templates,
                release.deprecateAfter() == null ? null : release.deprecateAfter().toString(),
                release.deregistrationProtection());
    }

    /** The platform's own image named {@code name} in {@code region}; null when there is none. */
    private static ExistingImage existingNamed(ReleasePlatform platform, String region, String name) {
        return platform.findOwnByName(region, name).map(i -> existing(region, i)).orElse(null);
    }

    private static ExistingImage existing(String region, ImageRecord image) {
        return new ExistingImage(region, image.id(), image.name(), image.state(),
                image.created() == null ? null : image.created().toString());
    }
}
