package io.github.amimaven.steps;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.Timeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;

/**
 * A build for {@link SecondInterruptIT} to signal: one image on the in-memory platform, waiting for its candidate
 * until interrupted; terminating its machine takes a few seconds, so that a second Ctrl-C meets the cleanup. Prints
 * {@code READY} when the wait began, and when the slow termination starts and ends.
 */
public final class InterruptedBuildMain {

    public static void main(String[] args) throws Exception {
        // SecondInterruptIT reads this JVM's stdout: info and above, as a user sees them
        CollectingLog log = new CollectingLog(line -> {
            if (!line.startsWith("DEBUG ")) {
                System.out.println(line);
            }
        });
        FakePlatform platform = new FakePlatform() {
            @Override
            public void awaitTerminated(String machineId, Duration timeout) {
                super.awaitTerminated(machineId, timeout);
                System.out.println("CALL awaitTerminated started");
                try {
                    Thread.sleep(4000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("CALL awaitTerminated done");
            }
        };
        platform.blockAt = "awaitImageAvailable";
        Thread ready = new Thread(() -> {
            try {
                platform.blocked.await();
                System.out.println("READY live " + platform.live());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ready.setDaemon(true);
        ready.start();
        ImageSpec image = new ImageSpec("web", "fake", new SourceSpec("ami-source", null, null, null, null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), null, List.of(),
                Map.of(), ImageNamer.DEFAULT_TEMPLATE, null, Timeouts.defaults());
        ImageBuilds.run(List.of(image), Pipelines::candidateBuild, new io.github.amimaven.platform.PlatformProvider() {
            @Override public io.github.amimaven.platform.Platform platformFor(ImageSpec i) { return platform; }
            @Override public void close() { }
        }, log, "bsignal", new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target")), 1);
    }
}
