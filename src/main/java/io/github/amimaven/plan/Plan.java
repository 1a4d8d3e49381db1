package io.github.amimaven.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What {@code deploy} would do, image by image, as {@code ami:plan} found it without changing anything. Its records
 * are {@code target/ami/plan.json} as they are: every field is always written (null when unknown), so that a script
 * reads them without guessing.
 *
 * @param plannedAt when the plan was made (ISO-8601, UTC): the time the candidate names were rendered with
 */
public record Plan(String plannedAt, List<ImagePlan> images) {

    public Plan {
        images = List.copyOf(images);
    }

    /**
     * One image: where it is built from, what it is called, and where its release goes.
     *
     * @param location the build region, or the local store
     * @param candidateName the name the candidate would get now; {@code {buildId}} stands for the build's random id
     * @param promotion {@code tag} or {@code copy}
     * @param releaseName the name of the release in every region: the candidate's, or without its marker for copy
     * @param regions the build region first, then the regions the release is copied to
     * @param deprecateAfter ISO-8601 duration after the release at which it is deprecated; null for never
     */
    public record ImagePlan(String image, String platform, String location, Source source, String candidateName,
            String promotion, String releaseName, List<RegionPlan> regions, Sharing sharing, List<AccountPlan> accounts,
            List<ParameterPlan> ssmParameters, List<TemplatePlan> launchTemplates, String deprecateAfter,
            boolean deregistrationProtection) {

        public ImagePlan {
            regions = List.copyOf(regions);
            accounts = List.copyOf(accounts);
            ssmParameters = List.copyOf(ssmParameters);
            launchTemplates = List.copyOf(launchTemplates);
        }
    }

    /** The source image the build would start from, resolved now. */
    public record Source(String id, String name, String creationDate) {
    }

    /** An image that exists already. */
    public record ExistingImage(String region, String id, String name, String state, String created) {
    }

    /**
     * A release region.
     *
     * @param sameName this account's image with the release's name: deploy would carry on with it rather than copy
     * @param earlierReleases this project's other released images of this image there, newest first
     */
    public record RegionPlan(String region, boolean buildRegion, ExistingImage sameName,
            List<ExistingImage> earlierReleases) {

        public RegionPlan {
            earlierReleases = List.copyOf(earlierReleases);
        }
    }

    /** Who gets launch permission (and create-volume permission, when asked). */
    public record Sharing(List<String> accounts, List<String> organizations, List<String> organizationalUnits,
            boolean createVolumePermission) {

        public Sharing {
            accounts = List.copyOf(accounts);
            organizations = List.copyOf(organizations);
            organizationalUnits = List.copyOf(organizationalUnits);
        }
    }

    /**
     * A copy another account owns, made through its role.
     *
     * @param existingCopies that account's images with the release's name in those regions: not copied again
     */
    public record AccountPlan(String accountId, String roleArn, List<String> regions, List<ExistingImage> existingCopies) {

        public AccountPlan {
            regions = List.copyOf(regions);
            existingCopies = List.copyOf(existingCopies);
        }
    }

    /** An SSM parameter deploy would set to the release's id; {@code currentValue} null when it does not exist. */
    public record ParameterPlan(String region, String name, String currentValue) {
    }

    /**
     * A launch template deploy would add a version to.
     *
     * @param template the id or name the POM gives
     * @param exists false when the template is not there: deploy would fail on it
     * @param latestVersion the version a new one would be based on; null when the template does not exist
     * @param latestImageId the image that version launches
     */
    public record TemplatePlan(String region, String template, boolean setDefault, boolean exists,
            String launchTemplateId, Long latestVersion, String latestImageId) {
    }

    /** Writes the plan as JSON to {@code file}, replacing it. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this));
    }

    /** The plan as a user reads it on the console. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ImagePlan i : images) {
            out.add(i.image() + " (" + i.platform() + ", " + i.location() + ")");
            out.add("  source:    " + i.source().id() + " (" + i.source().name() + ", created " + i.source().creationDate() + ")");
            out.add("  candidate: " + i.candidateName());
            out.add("  release:   " + i.releaseName() + " (promotion " + i.promotion() + ")");
            for (RegionPlan r : i.regions()) {
                out.add("  region " + r.region() + (r.buildRegion() ? " (build region)" : "") + ": "
                        + (r.sameName() == null ? "no image of that name yet" : "exists already: " + describe(r.sameName())
                        + ", deploy carries on with it") + "; " + earlier(r.earlierReleases()));
            }
            Sharing s = i.sharing();
            List<String> shares = new ArrayList<>();
            join(shares, "accounts", s.accounts());
            join(shares, "organizations", s.organizations());
            join(shares, "OUs", s.organizationalUnits());
            if (!shares.isEmpty()) {
                out.add("  share with: " + String.join("; ", shares)
                        + (s.createVolumePermission() ? " (with create-volume permission)" : ""));
            }
            for (AccountPlan a : i.accounts()) {
                out.add("  account " + a.accountId() + " (role " + a.roleArn() + ") in " + String.join(", ", a.regions())
                        + ": " + (a.existingCopies().isEmpty() ? "no copy yet" : "exists already: "
                        + a.existingCopies().stream().map(copy -> describe(copy) + " in " + copy.region())
                        .collect(Collectors.joining(", "))));
            }
            for (ParameterPlan p : i.ssmParameters()) {
                out.add("  SSM parameter " + p.name() + " in " + p.region() + ": "
                        + (p.currentValue() == null ? "new" : "now " + p.currentValue()) + ", set to the release");
            }
            for (TemplatePlan t : i.launchTemplates()) {
                out.add("  launch template " + t.template() + " in " + t.region() + ": " + (t.exists()
                        ? "version " + t.latestVersion() + " launches " + t.latestImageId() + "; a new version launches the release"
                        + (t.setDefault() ? " and becomes the default" : "")
                        : "DOES NOT EXIST: deploy would fail on it"));
            }
            if (i.deprecateAfter() != null) {
                out.add("  deprecated " + i.deprecateAfter() + " after the release");
            }
            if (i.deregistrationProtection()) {
                out.add("  protected from deregistration");
            }
        }
        return out;
    }

    private static String describe(ExistingImage image) {
        return image.id() + " (" + image.name() + ", " + image.state() + (image.created() == null ? "" : ", created "
                + image.created()) + ")";
    }

    private static String earlier(List<ExistingImage> releases) {
        return releases.isEmpty() ? "no earlier release" : releases.size() + " earlier release(s), newest "
                + describe(releases.get(0));
    }

    private static void join(List<String> out, String what, List<String> values) {
        if (!values.isEmpty()) {
            out.add(what + " " + String.join(", ", values));
        }
    }
}
