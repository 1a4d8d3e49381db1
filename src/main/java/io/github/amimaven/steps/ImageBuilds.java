package io.github.amimaven.steps;

import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.pipeline.StepRunner;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.pipeline.SecondInterrupt;
import io.github.amimaven.pipeline.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.WorkDirectories;
import io.github.amimaven.cleanup.OrphanSweeper;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.process.DaemonThreads;

/**
 * Runs one pipeline per image, several at once (bounded). Images proceed independently: one image's failure
 * does not stop the others, and each cleans up after itself. On Ctrl-C (SIGINT/SIGTERM) a shutdown hook
 * interrupts every pipeline and holds the JVM until their cleanups are done; a second Ctrl-C prints what the
 * cleanups still hold. With a {@link BuildRegistry} the build is recorded as running until its cleanups are done,
 * and may first sweep what earlier builds of the project left behind ({@link RunOptions}).
 */
public final class ImageBuilds {

    /** How long Ctrl-C waits for cleanups (terminating instances can take minutes on EC2). */
    static final long CLEANUP_GRACE_MINUTES = 15;

    private ImageBuilds() {
    }

    public static List<ImageResult> run(List<ImageSpec> images, Function<ImageSpec, List<Step<BuildContext>>> pipeline,
            PlatformProvider platforms, BuildLog log, String buildId, ProjectInfo project, int parallelism) {
        return run(images, pipeline, platforms, log, buildId, project, parallelism, RunOptions.defaults());
    }

    public static List<ImageResult> run(List<ImageSpec> images, Function<ImageSpec, List<Step<BuildContext>>> pipeline,
            PlatformProvider platforms, BuildLog log, String buildId, ProjectInfo project, int parallelism,
            RunOptions options) {
        BuildRegistry.Registration registration = register(options, buildId, project, log);
        removeStaleWorkDirectories(project, log);
        if (options.cleanOrphansFirst() && options.registry() != null) {
            try {
                cleanOrphans(images, platforms, project, options.registry(), log);
            } catch (RuntimeException e) {
                log.warn("orphan sweep failed (" + e + "); what earlier builds left is swept by a later run");
            }
        }
        int threads = Math.max(1, Math.min(parallelism, images.size()));
        ExecutorService executor = Executors.newFixedThreadPool(threads, DaemonThreads.named("ami-image"));
        List<BuildContext> contexts = new CopyOnWriteArrayList<>();
        Thread guard = new Thread(() -> {
            log.warn("Interrupted: stopping " + images.size() + " image pipeline(s) and cleaning up what they created"
                    + " (Ctrl-C again shows what is left to clean)");
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(CLEANUP_GRACE_MINUTES, TimeUnit.MINUTES)) {
                    log.error("cleanup did not finish within " + CLEANUP_GRACE_MINUTES + " min; check for left-over resources tagged ami:build-id=" + buildId
                            + " (mvn ami:clean-orphans removes them)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (registration != null) {
                registration.close();
            }
        }, "ami-cleanup-on-interrupt");
        boolean hooked = addHook(guard);
        AutoCloseable reporting = SecondInterrupt.track(() -> reportCleanup(contexts, log));
        try {
            List<Future<ImageResult>> futures = new ArrayList<>();
            for (ImageSpec image : images) {
                futures.add(executor.submit(() -> runOne(image, pipeline.apply(image), platforms, log, buildId, project,
                        options, contexts)));
            }
            List<ImageResult> results = new ArrayList<>();
            for (Future<ImageResult> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("image pipeline crashed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    executor.shutdownNow();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return results;
        } finally {
            executor.shutdown();
            boolean hookRunning = false;
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(guard);
                } catch (IllegalStateException shuttingDown) {
                    hookRunning = true; // it waits for the cleanups, then records the end of the build
                }
            }
            if (!hookRunning && registration != null) {
                registration.close();
            }
            try {
                reporting.close();
            } catch (Exception e) {
                // only removes a reporter from a set
            }
        }
    }

    private static ImageResult runOne(ImageSpec image, List<Step<BuildContext>> steps, PlatformProvider platforms, BuildLog log,
            String buildId, ProjectInfo project, RunOptions options, List<BuildContext> contexts) {
        BuildLog imageLog = log.prefixed(image.name());
        Platform platform = platforms.platformFor(image);
        BuildContext context = new BuildContext(image, platform, imageLog, buildId, project)
                .withResourceLifetime(options.resourceLifetime());
        contexts.add(context);
        try {
            StepRunner.run(steps, context);
            return context.result(null);
        } catch (Exception e) {
            imageLog.error("FAILED at step '" + context.failedStep + "'; cleanup done");
            return context.result(e);
        }
    }

    private static BuildRegistry.Registration register(RunOptions options, String buildId, ProjectInfo project,
            BuildLog log) {
        if (options.registry() == null) {
            return null;
        }
        try {
            return options.registry().register(buildId, project.coordinates());
        } catch (IOException | RuntimeException e) {
            log.warn("cannot record build " + buildId + " in " + options.registry().directory() + " (" + e.getMessage()
                    + "): if this JVM is killed, its resources are only removed once they expire");
            return null;
        }
    }

    /**
     * What a killed build of this project left in the images' locations: one Describe per kind of resource per
     * location. Never fails the build: what cannot be swept now is swept by a later run.
     */
    private static void cleanOrphans(List<ImageSpec> images, PlatformProvider platforms, ProjectInfo project,
            BuildRegistry registry, BuildLog log) {
        Map<String, Platform> locations = new LinkedHashMap<>();
        for (ImageSpec image : images) {
            try {
                Platform p = platforms.platformFor(image);
                locations.putIfAbsent(p.id() + " " + p.location(), p);
            } catch (RuntimeException e) {
                // the image's own pipeline reports it
            }
        }
        OrphanSweeper.Report report = OrphanSweeper.sweep(locations.values(),
                new OrphanSweeper.Request(project.coordinates(), false), registry, log);
        if (!report.removed().isEmpty()) {
            log.warn("removed " + report.removed().size() + " resource(s) that earlier builds of "
                    + project.coordinates() + " left behind");
        }
    }

    /** The keys and variable files of builds of this project that were killed outright: gone before this one starts. */
    private static void removeStaleWorkDirectories(ProjectInfo project, BuildLog log) {
        try {
            List<Path> removed = WorkDirectories.removeStale(project.outputDirectory());
            if (!removed.isEmpty()) {
                log.warn("removed " + removed.size() + " work director" + (removed.size() == 1 ? "y" : "ies")
                        + " of builds that were killed (" + WorkDirectories.root(project.outputDirectory()) + ")");
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot remove the work directories of killed builds under "
                    + WorkDirectories.root(project.outputDirectory()) + ": " + e.getMessage());
        }
    }

    private static void reportCleanup(List<BuildContext> contexts, BuildLog log) {
        StringBuilder b = new StringBuilder("Still cleaning up, please wait; killing the JVM now would leave these for"
                + " mvn ami:clean-orphans:");
        int busy = 0;
        for (BuildContext c : contexts) {
            List<String> held = c.heldResources();
            String activity = c.activity();
            if (activity == null && held.isEmpty()) {
                continue;
            }
            busy++;
            b.append("\n  [").append(c.image().name()).append("] ").append(activity == null ? "done" : activity)
                    .append(held.isEmpty() ? "" : "; holds " + String.join(", ", held));
        }
        if (busy == 0) {
            b.append("\n  nothing left: finishing");
        }
        log.warn(b.toString());
    }

    private static boolean addHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
