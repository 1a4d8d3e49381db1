package io.github.amimaven.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.Platform;

/**
 * Runs one pipeline per image, several at once (bounded). Images proceed independently: one image's failure
 * does not stop the others, and each cleans up after itself. On Ctrl-C (SIGINT/SIGTERM) a shutdown hook
 * interrupts every pipeline and holds the JVM until their cleanups are done.
 */
public final class ImageBuilds {

    /** How long Ctrl-C waits for cleanups (terminating instances can take minutes on EC2). */
    static final long CLEANUP_GRACE_MINUTES = 15;

    private ImageBuilds() {
    }

    public static List<ImageResult> run(List<ImageSpec> images, Function<ImageSpec, List<Step>> pipeline,
            PlatformProvider platforms, BuildLog log, String buildId, ProjectInfo project, int parallelism) {
        int threads = Math.max(1, Math.min(parallelism, images.size()));
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ami-image-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread guard = new Thread(() -> {
            log.warn("Interrupted: stopping " + images.size() + " image pipeline(s) and cleaning up what they created");
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(CLEANUP_GRACE_MINUTES, TimeUnit.MINUTES)) {
                    log.error("cleanup did not finish within " + CLEANUP_GRACE_MINUTES + " min; check for left-over resources tagged ami:build-id=" + buildId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ami-cleanup-on-interrupt");
        boolean hooked = addHook(guard);
        try {
            List<Future<ImageResult>> futures = new ArrayList<>();
            for (ImageSpec image : images) {
                futures.add(executor.submit(() -> runOne(image, pipeline.apply(image), platforms, log, buildId, project)));
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
            if (hooked) {
                try {
                    Runtime.getRuntime().removeShutdownHook(guard);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for the cleanups
                }
            }
        }
    }

    private static ImageResult runOne(ImageSpec image, List<Step> steps, PlatformProvider platforms, BuildLog log,
            String buildId, ProjectInfo project) {
        BuildLog imageLog = log.prefixed(image.name());
        Platform platform = platforms.platformFor(image);
        BuildContext context = new BuildContext(image, platform, imageLog, buildId, project);
        try {
            StepRunner.run(steps, context);
            return ImageResult.of(context, null);
        } catch (Exception e) {
            imageLog.error("FAILED at step '" + context.failedStep + "'; cleanup done");
            return ImageResult.of(context, e);
        }
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
