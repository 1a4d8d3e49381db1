package io.github.amimaven.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.github.amimaven.deploy.DeployRequest.ImageDeployment;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.pipeline.UnwatchedStepContext;

/**
 * One image's deployment as its steps share it: what is to be released where, and what each step found or made,
 * which becomes the image's entry in the manifest. Each step fills its part; a later step reads only what an
 * earlier one filled, so a step after a failed target (one region's copy) works with the others.
 */
public final class DeployContext extends UnwatchedStepContext {

    final ImageDeployment deployment;
    final ReleaseSpec spec;
    final ReleasePlatform platform;
    /** Where the candidate is promoted: the build region, or the store. */
    final String home;
    final boolean forcePromote;
    private final ExecutorService copyPool;

    /** Set by the promotion: the released image's name, id, time and the tags its copies carry. */
    String releaseName;
    String releasedId;
    Instant releasedAt;
    Instant deprecateAt;
    Map<String, String> releaseTags;
    /** Why the candidate was not promoted, for the user to act on; null when it was. */
    private String refused;
    /** Region to the release there, the build region's included: what the copy steps made or found. */
    final Map<String, ImageRecord> regionImages = new ConcurrentHashMap<>();
    /** Account to region to image id of the copies other accounts own. */
    final Map<String, Map<String, String>> accounts = new ConcurrentHashMap<>();
    final Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
    final List<LaunchTemplateVersion> launchTemplates = new ArrayList<>();
    private final List<ImageRelease.Problem> problems = Collections.synchronizedList(new ArrayList<>());
    /** The copies a step started and still waits on, each on its own thread. */
    private final List<Future<?>> copies = new ArrayList<>();

    /**
     * @param copyPool where the copies of all images run, one thread each: a copy only waits, and none may queue
     *                 behind another's wait
     */
    public DeployContext(ImageDeployment deployment, ReleasePlatform platform, ExecutorService copyPool,
            boolean forcePromote, BuildLog log) {
        super(log);
        this.deployment = deployment;
        this.spec = deployment.release();
        this.platform = platform;
        this.home = platform.home();
        this.forcePromote = forcePromote;
        this.copyPool = copyPool;
    }

    /** A piece of one target's work: a copy, a share, a parameter. */
    interface TargetWork {
        void run() throws InterruptedException;
    }

    /**
     * Runs the work for one target (a region, an account, a parameter), recording its failure as that target's
     * problem so that the other targets still get theirs; a re-run resumes at the failed one.
     */
    void attempt(String target, TargetWork work) {
        try {
            work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(new ImageRelease.Problem(target, e));
        } catch (RuntimeException e) {
            log().error(target + " failed: " + e.getMessage());
            problems.add(new ImageRelease.Problem(target, e));
        }
    }

    /** Starts one target's copy on a thread of its own, as {@link #attempt}. */
    void startCopy(String target, TargetWork work) {
        synchronized (copies) {
            copies.add(copyPool.submit(() -> attempt(target, work)));
        }
    }

    /** Waits for every copy started; each recorded its own failure. */
    void awaitCopies() throws InterruptedException {
        List<Future<?>> started;
        synchronized (copies) {
            started = List.copyOf(copies);
        }
        for (Future<?> copy : started) {
            try {
                copy.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause()); // attempt() records failures: a bug
            }
        }
        synchronized (copies) {
            copies.removeAll(started);
        }
    }

    /**
     * Stops waiting on the copies still running. The copies themselves go on where they run: a re-run finds them
     * by name and waits for them instead of copying again.
     */
    void stopWaitingForCopies() {
        synchronized (copies) {
            copies.forEach(c -> c.cancel(true));
            copies.clear();
        }
    }

    /** The build region, then the regions the release is copied to, in configuration order. */
    Set<String> releaseRegions() {
        Set<String> regions = new LinkedHashSet<>();
        regions.add(home);
        spec.regions().forEach(r -> regions.add(r.region()));
        return regions;
    }

    /** The releases made so far, the build region's first, then the others in configuration order. */
    Map<String, ImageRecord> orderedRegionImages() {
        Map<String, ImageRecord> out = new LinkedHashMap<>();
        for (String region : releaseRegions()) {
            ImageRecord image = regionImages.get(region);
            if (image != null) {
                out.put(region, image);
            }
        }
        return out;
    }

    boolean promoted() {
        return releasedId != null;
    }

    void refuse(String why) {
        refused = why;
    }

    void problem(String step, Exception failure) {
        problems.add(new ImageRelease.Problem(step, failure));
    }

    /** What the deployment did: the image's entry in the manifest. */
    ImageRelease result() {
        Map<String, String> regions = new LinkedHashMap<>();
        orderedRegionImages().forEach((r, i) -> regions.put(r, i.id()));
        Map<String, Map<String, String>> accountCopies = new LinkedHashMap<>();
        accounts.forEach((a, byRegion) -> accountCopies.put(a, new LinkedHashMap<>(byRegion)));
        return new ImageRelease(deployment.image(), platform.id(), home, spec.promotion(), releaseName, releasedId,
                releasedAt, regions, accountCopies, spec.sharing(), parameters, List.copyOf(launchTemplates),
                deprecateAt, spec.deregistrationProtection(), refused, List.copyOf(problems));
    }
}
