package io.github.amimaven.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.amimaven.log.BuildLog;

/**
 * {@code ami:prune}: the retention policy. Per image and release region, the released images of this project are
 * ranked newest first; an image is kept when it is one of the newest {@code keep}, younger than {@code maxAge}, the
 * newest of all (so a policy never leaves a region without its release), not available yet (a copy in progress), or
 * in use by a non-terminated instance, a launch template's default or latest version, or a launch template version
 * an Auto Scaling group launches from. The rest are deleted with their snapshots, or only listed when
 * {@code dryRun}.
 */
public final class Pruner {

    /** Tags every released image of an image definition carries. */
    public static Map<String, String> releaseTags(String projectCoordinates, String image) {
        return Map.of("ami:project", projectCoordinates, "ami:image", image, ImageRecord.STATUS_TAG,
                ImageRecord.STATUS_RELEASED);
    }

    /**
     * One image definition's retention.
     *
     * @param regions the regions its releases were copied to, besides the build region
     */
    public record ImagePrune(String image, String project, ReleaseSpec.Retention retention, List<String> regions) {
        public ImagePrune {
            regions = List.copyOf(regions);
        }

        /** The retention of each image that has one, in the images' order, with the regions it releases to. */
        public static List<ImagePrune> of(List<String> images, Map<String, ReleaseSpec> releases, String project) {
            List<ImagePrune> prunes = new ArrayList<>();
            for (String image : images) {
                ReleaseSpec release = releases.get(image);
                if (release != null && release.retention() != null) {
                    prunes.add(new ImagePrune(image, project, release.retention(),
                            release.regions().stream().map(ReleaseSpec.RegionTarget::region).toList()));
                }
            }
            return prunes;
        }
    }

    /** What happened to one released image: kept (and why) or deleted. */
    public record Decision(String image, String region, ImageRecord released, boolean keep, String reason) {
    }

    /** @param deleted the decisions to delete that were carried out (none with {@code dryRun}) */
    public record Outcome(List<Decision> decisions, List<Decision> deleted, List<ImageRelease.Problem> problems) {

        /** How many released images were kept, and how many deleted (or would be, with {@code dryRun}). */
        public String summary(boolean dryRun) {
            long kept = decisions.stream().filter(Decision::keep).count();
            long expired = decisions.size() - kept;
            return "kept " + kept + " released image(s), " + (dryRun ? "would delete " + expired + " (ami.dryRun)"
                    : "deleted " + deleted.size());
        }
    }

    private final Function<ImagePrune, ReleasePlatform> platforms;
    private final BuildLog log;

    public Pruner(Function<ImagePrune, ReleasePlatform> platforms, BuildLog log) {
        this.platforms = platforms;
        this.log = log;
    }

    public Outcome prune(List<ImagePrune> images, boolean dryRun) {
        List<Decision> decisions = new ArrayList<>();
        List<Decision> deleted = new ArrayList<>();
        List<ImageRelease.Problem> problems = new ArrayList<>();
        for (ImagePrune image : images) {
            ReleasePlatform platform = platforms.apply(image);
            Set<String> regions = new LinkedHashSet<>();
            regions.add(platform.home());
            regions.addAll(image.regions());
            for (String region : regions) {
                try {
                    for (Decision decision : decide(image, platform, region)) {
                        decisions.add(decision);
                        if (apply(platform, decision, dryRun, problems)) {
                            deleted.add(decision);
                        }
                    }
                } catch (RuntimeException e) {
                    log.error("[" + image.image() + "] pruning in " + region + " failed: " + e.getMessage());
                    problems.add(new ImageRelease.Problem("pruning " + image.image() + " in " + region, e));
                }
            }
        }
        return new Outcome(decisions, deleted, problems);
    }

    private List<Decision> decide(ImagePrune image, ReleasePlatform platform, String region) {
        List<ImageRecord> released = new ArrayList<>(platform.findOwnByTags(region, releaseTags(image.project(), image.image())));
        if (released.isEmpty()) {
            return List.of();
        }
        released.sort(Comparator.comparing((ImageRecord i) -> i.created() == null ? Instant.MAX : i.created()).reversed());
        Set<String> inUse = platform.imagesInUse(region);
        ReleaseSpec.Retention retention = image.retention();
        Instant cutoff = retention.maxAge() == null ? null : Instant.now().minus(retention.maxAge());
        List<Decision> out = new ArrayList<>();
        for (int i = 0; i < released.size(); i++) {
            ImageRecord r = released.get(i);
            String reason;
            if (retention.keep() != null && i < retention.keep()) {
                reason = "one of the newest " + retention.keep();
            } else if (cutoff != null && r.created() != null && r.created().isAfter(cutoff)) {
                reason = "younger than " + describe(retention.maxAge());
            } else if (i == 0) {
                reason = "the newest release";
            } else if (inUse.contains(r.id())) {
                reason = "in use by an instance or a launch template";
            } else if (!r.isAvailable()) {
                reason = "not available (" + r.state() + ")";
            } else {
                reason = null;
            }
            out.add(new Decision(image.image(), region, r, reason != null, reason == null ? "expired" : reason));
        }
        return out;
    }

    private static String describe(java.time.Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + "d";
        }
        return d.toSeconds() % 3600 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }

    /** True when it deleted the image. */
    private boolean apply(ReleasePlatform platform, Decision d, boolean dryRun, List<ImageRelease.Problem> problems) {
        String what = d.released().id() + " (" + d.released().name() + ", " + d.released().created() + ") in " + d.region();
        if (d.keep()) {
            log.info("[" + d.image() + "] keep " + what + ": " + d.reason());
        } else if (dryRun) {
            log.info("[" + d.image() + "] would delete " + what + " (ami.dryRun)");
        } else {
            try {
                platform.delete(d.region(), d.released().id());
                log.info("[" + d.image() + "] deleted " + what + " and its snapshots");
                return true;
            } catch (RuntimeException e) {
                log.error("[" + d.image() + "] could not delete " + what + ": " + e.getMessage());
                problems.add(new ImageRelease.Problem("deleting " + d.released().id() + " in " + d.region(), e));
            }
        }
        return false;
    }
}
