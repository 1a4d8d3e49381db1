package io.github.amimaven.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.pipeline.Step;

/**
 * Makes the verified candidate the release in the build region: {@code tag} retags it {@code released};
 * {@code copy} copies it to its release name and deletes the candidate. Refuses, before changing anything, a
 * candidate that is missing, of another image or not verified (unless forced), and targets outside the release
 * regions. A release an earlier run made is found and carried on from.
 */
public final class PromoteCandidate implements Step<DeployContext> {

    /** What makes an image a release: its status, and its role, which the build set to {@code candidate}. */
    private static final Map<String, String> RELEASED = Map.of(ImageRecord.STATUS_TAG, ImageRecord.STATUS_RELEASED,
            ImageRecord.ROLE_TAG, ImageRecord.ROLE_RELEASE);

    @Override
    public String title() {
        return "Promoting the candidate";
    }

    @Override
    public void run(DeployContext c) throws PromotionRefused, InterruptedException {
        checkTargets(c);
        String candidateId = c.deployment.candidate().id();
        Optional<ImageRecord> candidate = c.platform.find(c.home, candidateId);
        String candidateName = candidate.map(ImageRecord::name).orElse(c.deployment.candidate().name());
        boolean copy = c.spec.promotion() == Promotion.COPY;
        Optional<ImageRecord> earlierRelease = Optional.empty();
        if (copy) {
            c.releaseName = ImageNamer.releaseName(candidateName);
            if (c.releaseName == null) {
                throw new PromotionRefused("candidate " + candidateId + (candidateName == null ? "" : " (" + candidateName + ")")
                        + " has no '" + ImageNamer.CANDIDATE_MARKER + "' marker in its name, so its release cannot"
                        + " be a copy under another name: it was built before <promotion>copy</promotion>;"
                        + " build it again, or promote it with <promotion>tag</promotion>");
            }
            earlierRelease = c.platform.findOwnByName(c.home, c.releaseName);
        } else {
            c.releaseName = candidateName;
        }
        BuildLog log = c.log();
        if (candidate.isEmpty()) {
            if (earlierRelease.isPresent() && ImageRecord.STATUS_RELEASED.equals(earlierRelease.get().status())) {
                // an earlier deploy promoted it and deleted the candidate: carry on from the release
                log.info("candidate " + candidateId + " was already promoted to " + earlierRelease.get().id()
                        + " (" + c.releaseName + ")");
                adopt(c, earlierRelease.get(), releaseTags(c, earlierRelease.get().tags(), true));
                return;
            }
            throw new PromotionRefused("candidate " + candidateId + " (from " + c.deployment.candidate().origin()
                    + ") does not exist in " + c.home + ": build it again with the package phase, or name another"
                    + " with -Dami.candidate");
        }
        ImageRecord found = candidate.get();
        String builtFor = found.tags().get("ami:image");
        if (builtFor != null && !builtFor.equals(c.deployment.image())) {
            throw new PromotionRefused("candidate " + candidateId + " is an image of '" + builtFor + "', not of '"
                    + c.deployment.image() + "': check -Dami.candidate");
        }
        String status = found.status();
        boolean alreadyReleased = ImageRecord.STATUS_RELEASED.equals(status);
        if (!alreadyReleased && !ImageRecord.STATUS_VERIFIED.equals(status)) {
            if (!c.forcePromote && found.testsSkipped()) {
                throw new PromotionRefused("candidate " + candidateId + " was not tested (-Dami.skipTests): run"
                        + " integration-test and verify without -Dami.skipTests, or promote it untested with"
                        + " -Dami.forcePromote");
            } else if (!c.forcePromote) {
                throw new PromotionRefused("candidate " + candidateId + " is " + (status == null ? "untagged" : status)
                        + ", not verified: run the verify phase, or promote anyway with -Dami.forcePromote");
            }
            log.warn("PROMOTING UNVERIFIED candidate " + candidateId + " (" + status + ") (ami.forcePromote)");
        }
        Map<String, String> tags = releaseTags(c, found.tags(), copy);
        if (!copy) {
            Map<String, String> missing = new LinkedHashMap<>(RELEASED);
            missing.entrySet().removeIf(tag -> tag.getValue().equals(found.tags().get(tag.getKey())));
            if (!missing.isEmpty()) {
                c.platform.tag(c.home, found, missing);
            }
            adopt(c, found, tags);
            log.info("released " + found.id() + " in " + c.home + (alreadyReleased ? " (already released)" : ""));
            return;
        }
        ImageCopy releaseCopy = new ImageCopy(c.home, found.id(), c.home, c.releaseName, found.description(), null,
                false, tags, ResumableCopy.idempotencyToken("promote", c.home, found.id(), c.releaseName));
        ImageRecord release = ResumableCopy.make(c, c.platform, releaseCopy, earlierRelease, "release copy");
        adopt(c, release, tags);
        c.platform.delete(c.home, found.id());
        log.info("released " + release.id() + " (" + c.releaseName + ") in " + c.home + "; deleted candidate "
                + found.id() + " and its snapshots");
    }

    /** Configuration that only makes sense once the build region is known. */
    private static void checkTargets(DeployContext c) throws PromotionRefused {
        Set<String> releaseRegions = c.releaseRegions();
        for (AccountCopy copy : c.spec.accountCopies()) {
            for (String r : copy.regions()) {
                if (!releaseRegions.contains(r)) {
                    throw new PromotionRefused("<deploy>/<copyToAccounts> copies to account " + copy.accountId()
                            + " in " + r + ", which is not a release region " + releaseRegions
                            + ": add it to <deploy>/<regions>");
                }
            }
        }
        for (LaunchTemplateTarget t : c.spec.launchTemplates()) {
            if (t.region() != null && !releaseRegions.contains(t.region())) {
                throw new PromotionRefused("<deploy>/<launchTemplates> template " + t.describe() + " is in " + t.region()
                        + ", which is not a release region " + releaseRegions + ": add it to <deploy>/<regions>");
            }
        }
    }

    private static void adopt(DeployContext c, ImageRecord release, Map<String, String> tags) {
        c.releasedId = release.id();
        c.releasedAt = release.created() == null ? Instant.now() : release.created();
        c.releaseTags = tags;
        if (c.spec.deprecateAfter() != null) {
            // from the release's own time, so that a re-run computes the same instant
            Instant at = c.releasedAt.plus(c.spec.deprecateAfter());
            Instant earliest = Instant.now().plus(Duration.ofMinutes(1));
            c.deprecateAt = at.isBefore(earliest) ? earliest : at;
        }
        c.regionImages.put(c.home, release);
    }

    private static Map<String, String> releaseTags(DeployContext c, Map<String, String> from, boolean copy) {
        Map<String, String> t = new LinkedHashMap<>();
        from.forEach((k, v) -> {
            if (!k.startsWith("aws:")) {
                t.put(k, v);
            }
        });
        t.putAll(RELEASED);
        if (copy) {
            t.put("Name", c.releaseName);
        }
        return t;
    }
}
