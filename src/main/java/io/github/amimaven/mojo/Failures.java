package io.github.amimaven.mojo;

import java.time.Duration;
import java.util.List;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

import io.github.amimaven.config.ConfigurationException;
import io.github.amimaven.pipeline.ImageResult;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.provision.ProvisionException;

/**
 * Maps the core's outcome to Maven's: {@link MojoFailureException} when the user's input or image is at fault
 * (configuration, a failing script, an unknown source image), {@link MojoExecutionException} when the
 * environment broke (AWS, network, SSH).
 */
final class Failures {

    private Failures() {
    }

    static void summarize(Log log, String verb, List<ImageResult> results, Duration elapsed) {
        long ok = results.stream().filter(ImageResult::succeeded).count();
        log.info("ami: " + ok + " of " + results.size() + " image(s) " + verb + " in " + elapsed.toSeconds() + " s");
        for (ImageResult r : results) {
            log.info(String.format("  %-24s %-8s %-16s %s", r.image().name(), r.succeeded() ? "OK" : "FAILED",
                    r.location(), r.succeeded() ? r.imageId() + "  " + r.imageName() : "at '" + r.failedStep() + "'"));
            r.leftovers().forEach(l -> log.error("    left behind: " + l));
        }
    }

    static void throwIfAny(List<ImageResult> results) throws MojoFailureException, MojoExecutionException {
        List<ImageResult> failed = results.stream().filter(r -> !r.succeeded()).toList();
        if (failed.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        boolean userFault = true;
        for (ImageResult r : failed) {
            if (message.length() > 0) {
                message.append('\n');
            }
            message.append('[').append(r.image().name()).append("] ").append(r.failedStep()).append(": ")
                    .append(r.failure().getMessage());
            userFault &= isUserFault(r.failure());
        }
        if (userFault) {
            throw new MojoFailureException(message.toString(), failed.get(0).failure());
        }
        throw new MojoExecutionException(message.toString(), failed.get(0).failure());
    }

    static boolean isUserFault(Throwable t) {
        return t instanceof ConfigurationException || t instanceof ProvisionException
                || t instanceof PlatformException p && p.isUserError();
    }
}
