package io.github.amimaven.deploy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.amimaven.deploy.DeployRequest.ImageDeployment;
import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageNamer;

/**
 * The deploy phase: per image, promote the verified candidate in the build region, copy the release to further
 * regions and accounts (all copies of all images at once, each waiting on its own), share it, then publish each
 * region's id to SSM parameters and launch templates.
 *
 * <p>Everything is found again before it is made: a re-run after a failure or a kill finds the release and the
 * region copies by name (a copy still pending is waited for, a failed one replaced), and each copy request carries
 * an idempotency token derived from what it copies, so nothing is ever copied twice. Sharing, tagging, parameters
 * and launch template versions are idempotent too.</p>
 */
public final class Deployer {

    public static final String STATUS_RELEASED = "released";
    public static final String STATUS_VERIFIED = "verified";
    /** Where a region or account copy came from: {@code <build region>/<released image id>}. */
    public static final String COPIED_FROM_TAG = "ami:copied-from";

    private final Function<ImageDeployment, ReleasePlatform> platforms;
    private final BuildLog log;

    public Deployer(Function<ImageDeployment, ReleasePlatform> platforms, BuildLog log) {
        this.platforms = platforms;
        this.log = log;
    }

    /** Deploys every image; one image's failure does not stop the others. */
    public List<ImageRelease> deploy(DeployRequest request) throws InterruptedException {
        if (request.images().isEmpty()) {
            return List.of();
        }
        // deploying only calls APIs and waits: every image and every copy gets a thread of its own, so that no copy
        // queues behind another's wait (a pool of <threads> made 3 regions of 4 images take 3 copy times, not 1)
        ExecutorService imagePool = Executors.newFixedThreadPool(request.images().size(), daemon("ami-deploy"));
        ExecutorService copyPool = Executors.newCachedThreadPool(daemon("ami-copy"));
        try {
            List<Future<ImageRelease>> futures = new ArrayList<>();
            for (ImageDeployment d : request.images()) {
                futures.add(imagePool.submit(() -> new ImageJob(d, platforms.apply(d), copyPool,
                        request.forcePromote(), log.prefixed(d.image())).run()));
            }
            List<ImageRelease> out = new ArrayList<>();
            for (Future<ImageRelease> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            // ImageJob catches everything it can report; anything else is a bug worth its stack trace
            throw new IllegalStateException(e.getCause());
        } finally {
            imagePool.shutdownNow();
            copyPool.shutdownNow();
        }
    }

    /** A token that names one copy for good: the same copy requested again is the same copy. */
    static String idempotencyToken(String... parts) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
            return "ami-maven-plugin-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One image's deployment, collecting what it did for the manifest. */
    private static final class ImageJob {

        private final ImageDeployment d;
        private final ReleaseSpec spec;
        private final ReleasePlatform platform;
        private final ExecutorService copyPool;
        private final boolean force;
        private final BuildLog log;
        private final String home;

        private String releaseName;
        private String releasedId;
        private Instant releasedAt;
        private Instant deprecateAt;
        private Map<String, String> tags;
        private String refused;
        private final Map<String, ImageRecord> regionImages = new ConcurrentHashMap<>();
        private final Map<String, Map<String, String>> accounts = new ConcurrentHashMap<>();
        private final Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
        private final List<LaunchTemplateVersion> launchTemplates = new ArrayList<>();
        private final List<ImageRelease.Problem> problems = Collections.synchronizedList(new ArrayList<>());

        ImageJob(ImageDeployment d, ReleasePlatform platform, ExecutorService copyPool, boolean force, BuildLog log) {
            this.d = d;
            this.spec = d.release();
            this.platform = platform;
            this.copyPool = copyPool;
            this.force = force;
            this.log = log;
            this.home = platform.home();
        }

        ImageRelease run() {
            try {
                refused = planProblem();
                if (refused == null) {
                    promote();
                }
                if (releasedId != null) {
                    distribute();
                    publish();
                }
            } catch (RefusedException e) {
                refused = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(new ImageRelease.Problem("deploy", e));
            } catch (RuntimeException e) {
                problems.add(new ImageRelease.Problem(releasedId == null ? "promoting " + d.candidate().id() : "deploy", e));
            }
            return result();
        }

        /** Configuration that only makes sense once the build region is known. */
        private String planProblem() {
            Set<String> releaseRegions = releaseRegions();
            for (AccountCopy copy : spec.accountCopies()) {
                for (String r : copy.regions()) {
                    if (!releaseRegions.contains(r)) {
                        return "<deploy>/<copyToAccounts> copies to account " + copy.accountId() + " in " + r
                                + ", which is not a release region " + releaseRegions + ": add it to <deploy>/<regions>";
                    }
                }
            }
            for (LaunchTemplateTarget t : spec.launchTemplates()) {
                if (t.region() != null && !releaseRegions.contains(t.region())) {
                    return "<deploy>/<launchTemplates> template " + t.describe() + " is in " + t.region()
                            + ", which is not a release region " + releaseRegions + ": add it to <deploy>/<regions>";
                }
            }
            return null;
        }

        private Set<String> releaseRegions() {
            Set<String> regions = new LinkedHashSet<>();
            regions.add(home);
            spec.regions().forEach(r -> regions.add(r.region()));
            return regions;
        }

        // ---- promotion in the build region ----

        private void promote() throws InterruptedException {
            String candidateId = d.candidate().id();
            Optional<ImageRecord> candidate = platform.find(home, candidateId);
            String candidateName = candidate.map(ImageRecord::name).orElse(d.candidate().name());
            boolean copy = spec.promotion() == Promotion.COPY;
            Optional<ImageRecord> earlierRelease = Optional.empty();
            if (copy) {
                releaseName = ImageNamer.releaseName(candidateName);
                if (releaseName == null) {
                    throw new RefusedException("candidate " + candidateId + (candidateName == null ? "" : " (" + candidateName + ")")
                            + " has no '" + ImageNamer.CANDIDATE_MARKER + "' marker in its name, so its release cannot"
                            + " be a copy under another name: it was built before <promotion>copy</promotion>;"
                            + " build it again, or promote it with <promotion>tag</promotion>");
                }
                earlierRelease = platform.findOwnByName(home, releaseName);
            } else {
                releaseName = candidateName;
            }
            if (candidate.isEmpty()) {
                if (earlierRelease.isPresent() && STATUS_RELEASED.equals(earlierRelease.get().status())) {
                    // an earlier deploy promoted it and deleted the candidate: carry on from the release
                    log.info("candidate " + candidateId + " was already promoted to " + earlierRelease.get().id()
                            + " (" + releaseName + ")");
                    adoptRelease(earlierRelease.get(), releaseTags(earlierRelease.get().tags(), true));
                    return;
                }
                throw new RefusedException("candidate " + candidateId + " (from " + d.candidate().origin()
                        + ") does not exist in " + home + ": build it again with the package phase, or name another"
                        + " with -Dami.candidate");
            }
            ImageRecord c = candidate.get();
            String builtFor = c.tags().get("ami:image");
            if (builtFor != null && !builtFor.equals(d.image())) {
                throw new RefusedException("candidate " + candidateId + " is an image of '" + builtFor + "', not of '"
                        + d.image() + "': check -Dami.candidate");
            }
            String status = c.status();
            boolean alreadyReleased = STATUS_RELEASED.equals(status);
            if (!alreadyReleased && !STATUS_VERIFIED.equals(status)) {
                if (!force) {
                    throw new RefusedException("candidate " + candidateId + " is " + (status == null ? "untagged" : status)
                            + ", not verified: run the verify phase, or promote anyway with -Dami.forcePromote");
                }
                log.warn("PROMOTING UNVERIFIED candidate " + candidateId + " (" + status + ") (ami.forcePromote)");
            }
            Map<String, String> releaseTags = releaseTags(c.tags(), copy);
            if (!copy) {
                if (!alreadyReleased) {
                    platform.tag(home, c, Map.of(ImageRecord.STATUS_TAG, STATUS_RELEASED));
                }
                adoptRelease(c, releaseTags);
                log.info("released " + c.id() + " in " + home + (alreadyReleased ? " (already released)" : ""));
                return;
            }
            String token = idempotencyToken("promote", home, c.id(), releaseName);
            ImageRecord release = copyInto(platform, home, c, home, releaseName, null, false, releaseTags, token,
                    earlierRelease, "release copy");
            adoptRelease(release, releaseTags);
            platform.delete(home, c.id());
            log.info("released " + release.id() + " (" + releaseName + ") in " + home + "; deleted candidate " + c.id()
                    + " and its snapshots");
        }

        private void adoptRelease(ImageRecord release, Map<String, String> releaseTags) {
            releasedId = release.id();
            releasedAt = release.created() == null ? Instant.now() : release.created();
            tags = releaseTags;
            if (spec.deprecateAfter() != null) {
                // from the release's own time, so that a re-run computes the same instant
                Instant at = releasedAt.plus(spec.deprecateAfter());
                Instant earliest = Instant.now().plus(Duration.ofMinutes(1));
                deprecateAt = at.isBefore(earliest) ? earliest : at;
            }
            regionImages.put(home, release);
        }

        private Map<String, String> releaseTags(Map<String, String> from, boolean copy) {
            Map<String, String> t = new LinkedHashMap<>();
            from.forEach((k, v) -> {
                if (!k.startsWith("aws:")) {
                    t.put(k, v);
                }
            });
            t.put(ImageRecord.STATUS_TAG, STATUS_RELEASED);
            if (copy) {
                t.put("Name", releaseName);
            }
            return t;
        }

        // ---- distribution ----

        private void distribute() throws InterruptedException {
            step("sharing and protecting in " + home, () -> finishRegion(home, regionImages.get(home)));
            List<Future<?>> running = new ArrayList<>();
            for (RegionTarget target : spec.regions()) {
                if (target.region().equals(home)) {
                    continue;
                }
                running.add(copyPool.submit(() -> step("copying to " + target.region(), () -> {
                    Map<String, String> copyTags = new LinkedHashMap<>(tags);
                    copyTags.put(COPIED_FROM_TAG, home + "/" + releasedId);
                    String token = idempotencyToken("region", home, releasedId, target.region(), releaseName);
                    ImageRecord copied = copyInto(platform, home, regionImages.get(home), target.region(), releaseName,
                            target.kmsKeyId(), target.encrypted(), copyTags, token,
                            platform.findOwnByName(target.region(), releaseName), "copy to " + target.region());
                    regionImages.put(target.region(), copied);
                    finishRegion(target.region(), copied);
                })));
            }
            awaitAll(running);
            running.clear();
            for (AccountCopy account : spec.accountCopies()) {
                List<String> regions = account.regions().isEmpty() ? List.copyOf(releaseRegions()) : account.regions();
                for (String region : regions) {
                    ImageRecord source = regionImages.get(region);
                    if (source == null) {
                        continue; // the region's own copy failed and is reported already
                    }
                    running.add(copyPool.submit(() -> step("copying to account " + account.accountId() + " in " + region,
                            () -> copyToAccount(account, region, source))));
                }
            }
            awaitAll(running);
        }

        /** Launch permission, deprecation and deregistration protection of one region's image. */
        private void finishRegion(String region, ImageRecord image) {
            if (!spec.sharing().isEmpty()) {
                platform.share(region, image, spec.sharing());
            }
            if (deprecateAt != null) {
                platform.deprecate(region, image.id(), deprecateAt);
            }
            if (spec.deregistrationProtection()) {
                platform.protectFromDeregistration(region, image.id());
            }
        }

        private void copyToAccount(AccountCopy account, String region, ImageRecord source) throws InterruptedException {
            // the target account reads the image and its snapshots: copying needs both
            platform.share(region, source, new Sharing(List.of(account.accountId()), List.of(), List.of(), true));
            ReleasePlatform other = platform.asRole(account.roleArn());
            Map<String, String> copyTags = new LinkedHashMap<>(tags);
            copyTags.put(COPIED_FROM_TAG, region + "/" + source.id());
            String token = idempotencyToken("account", account.accountId(), region, source.id(), releaseName);
            ImageRecord copied = copyInto(other, region, source, region, releaseName, null, false, copyTags, token,
                    other.findOwnByName(region, releaseName), "copy for account " + account.accountId() + " in " + region);
            accounts.computeIfAbsent(account.accountId(), a -> new ConcurrentHashMap<>()).put(region, copied.id());
        }

        /**
         * The image named {@code name} in {@code target}, copied from {@code source} unless an earlier run already
         * did (a pending copy is waited for; a failed one is deleted and copied again), available and tagged.
         */
        private ImageRecord copyInto(ReleasePlatform target, String sourceLocation, ImageRecord source,
                String targetLocation, String name, String kmsKeyId, boolean encrypted, Map<String, String> copyTags,
                String token, Optional<ImageRecord> earlier, String what) throws InterruptedException {
            String id = null;
            boolean tagged = false;
            if (earlier.isPresent()) {
                ImageRecord e = earlier.get();
                if (e.isFailed()) {
                    log.warn("an earlier " + what + " (" + e.id() + ") failed: deleting it and copying again");
                    target.delete(targetLocation, e.id());
                    token = idempotencyToken(token, "after", e.id());
                } else {
                    id = e.id();
                    log.info(what + " exists already (" + id + ", " + e.state() + "): not copied again");
                }
            }
            if (id == null) {
                id = target.copy(new ImageCopy(sourceLocation, source.id(), targetLocation, name, source.description(),
                        kmsKeyId, encrypted || kmsKeyId != null, copyTags, token));
                // tagged as it was created, its snapshots too
                tagged = true;
                log.info(what + ": " + id + " pending, waiting until available (timeout "
                        + d.timeout().toMinutes() + " min, raise <timeouts><copy>)");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            ImageRecord available = target.awaitAvailable(targetLocation, id, d.timeout());
            if (!tagged) {
                // an earlier run's copy: its tags may be an older build's
                target.tag(targetLocation, available, copyTags);
            }
            log.info(what + ": " + id + " available");
            return available;
        }

        // ---- publishing ----

        private void publish() {
            for (Map.Entry<String, ImageRecord> region : orderedRegionImages().entrySet()) {
                for (String parameter : spec.ssmParameters()) {
                    step("writing SSM parameter " + parameter + " in " + region.getKey(), () -> {
                        platform.putParameter(region.getKey(), parameter, region.getValue().id());
                        parameters.computeIfAbsent(region.getKey(), r -> new LinkedHashMap<>())
                                .put(parameter, region.getValue().id());
                        log.info("SSM parameter " + parameter + " = " + region.getValue().id() + " in " + region.getKey());
                    });
                }
            }
            for (LaunchTemplateTarget template : spec.launchTemplates()) {
                String region = template.region() == null ? home : template.region();
                ImageRecord image = regionImages.get(region);
                if (image == null) {
                    continue;
                }
                step("updating launch template " + template.describe() + " in " + region, () -> {
                    LaunchTemplateVersion v = platform.newLaunchTemplateVersion(region, template, image.id(),
                            releaseName + " (ami-maven-plugin)");
                    launchTemplates.add(v);
                    log.info("launch template " + v.launchTemplateName() + " (" + v.launchTemplateId() + ") version "
                            + v.version() + (v.created() ? "" : " (already there)") + " launches " + image.id()
                            + " in " + region + (v.defaultVersion() ? ", the default version" : ""));
                });
            }
        }

        /** The build region first, then the others in configuration order. */
        private Map<String, ImageRecord> orderedRegionImages() {
            Map<String, ImageRecord> out = new LinkedHashMap<>();
            for (String region : releaseRegions()) {
                ImageRecord image = regionImages.get(region);
                if (image != null) {
                    out.put(region, image);
                }
            }
            return out;
        }

        // ---- plumbing ----

        private interface Work {
            void run() throws InterruptedException;
        }

        /** Runs one step, recording its failure instead of throwing, so the other steps still run. */
        private void step(String name, Work work) {
            try {
                work.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(new ImageRelease.Problem(name, e));
            } catch (RuntimeException e) {
                log.error(name + " failed: " + e.getMessage());
                problems.add(new ImageRelease.Problem(name, e));
            }
        }

        private static void awaitAll(List<Future<?>> futures) throws InterruptedException {
            try {
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e.getCause()); // step() records failures: a bug
                    }
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                throw e;
            }
        }

        private ImageRelease result() {
            Map<String, String> regions = new LinkedHashMap<>();
            orderedRegionImages().forEach((r, i) -> regions.put(r, i.id()));
            Map<String, Map<String, String>> accountCopies = new LinkedHashMap<>();
            accounts.forEach((a, byRegion) -> accountCopies.put(a, new LinkedHashMap<>(byRegion)));
            return new ImageRelease(d.image(), platform.id(), home, spec.promotion(), releaseName, releasedId, releasedAt,
                    regions, accountCopies, spec.sharing(), parameters, List.copyOf(launchTemplates), deprecateAt,
                    spec.deregistrationProtection(), refused, List.copyOf(problems));
        }
    }

    /** The candidate may not be promoted: the user has to act. */
    private static final class RefusedException extends RuntimeException {
        RefusedException(String message) {
            super(message);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
