package io.github.amimaven.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import io.github.amimaven.deploy.DeployRequest.ImageDeployment;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.StepRunner;
import io.github.amimaven.process.DaemonThreads;

/**
 * The deploy phase: runs each image's release steps (promote in the build region, copy to further regions and
 * accounts, share, publish, deprecate), all images at once, and collects what they did for the manifest.
 *
 * <p>Everything is found again before it is made: a re-run after a failure or a kill finds the release and the
 * region copies by name (a copy still pending is waited for, a failed one replaced), and each copy request carries
 * an idempotency token derived from what it copies, so nothing is ever copied twice. Sharing, tagging, parameters
 * and launch template versions are idempotent too.</p>
 */
public final class Deployer {

    private final Function<ImageDeployment, ReleasePlatform> platforms;
    private final Function<ReleaseSpec, List<Step<DeployContext>>> pipeline;
    private final BuildLog log;

    /** @param pipeline the steps that release one image, as its release spec asks */
    public Deployer(Function<ImageDeployment, ReleasePlatform> platforms,
            Function<ReleaseSpec, List<Step<DeployContext>>> pipeline, BuildLog log) {
        this.platforms = platforms;
        this.pipeline = pipeline;
        this.log = log;
    }

    /** Deploys every image; one image's failure does not stop the others. */
    public List<ImageRelease> deploy(DeployRequest request) throws InterruptedException {
        if (request.images().isEmpty()) {
            return List.of();
        }
        // deploying only calls APIs and waits: every image and every copy gets a thread of its own, so that no copy
        // queues behind another's wait (a pool of <threads> made 3 regions of 4 images take 3 copy times, not 1)
        ExecutorService imagePool = Executors.newFixedThreadPool(request.images().size(), DaemonThreads.named("ami-deploy"));
        ExecutorService copyPool = Executors.newCachedThreadPool(DaemonThreads.named("ami-copy"));
        try {
            List<Future<ImageRelease>> futures = new ArrayList<>();
            for (ImageDeployment d : request.images()) {
                futures.add(imagePool.submit(() -> release(new DeployContext(d, platforms.apply(d), copyPool,
                        request.forcePromote(), log.prefixed(d.image())))));
            }
            List<ImageRelease> out = new ArrayList<>();
            for (Future<ImageRelease> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (ExecutionException e) {
            // release() records everything it can report; anything else is a bug worth its stack trace
            throw new IllegalStateException(e.getCause());
        } finally {
            imagePool.shutdownNow();
            copyPool.shutdownNow();
        }
    }

    /** Runs one image's steps; a refusal or a failure ends them and is recorded, never thrown. */
    private ImageRelease release(DeployContext context) {
        try {
            StepRunner.run(pipeline.apply(context.spec), context);
        } catch (PromotionRefused e) {
            context.refuse(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.problem("deploy", e);
        } catch (Exception e) {
            context.problem(context.promoted() ? "deploy" : "promoting " + context.deployment.candidate().id(), e);
        }
        return context.result();
    }
}
