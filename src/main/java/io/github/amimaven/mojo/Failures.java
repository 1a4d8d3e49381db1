package io.github.amimaven.mojo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;

import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.deploy.CandidateException;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.provision.ProvisionException;

/**
 * Maps the core's outcome to Maven's, the one place every goal does: {@link MojoFailureException} when the user's
 * input or image is at fault (configuration, a failing script, an unknown source image, a candidate that may not be
 * deployed), {@link MojoExecutionException} when the environment broke (AWS, network, SSH). CI tells the two apart.
 */
final class Failures {

    private Failures() {
    }

    /**
     * One line of a goal's failure message and the exception behind it; {@code cause} is null when the goal refused
     * on its own (no candidate, a check failed), which is the user's to fix.
     */
    record Problem(String line, Throwable cause) {
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

    /** Fails the goal naming each image that failed and the step it failed at. */
    static void throwIfAny(List<ImageResult> results) throws MojoFailureException, MojoExecutionException {
        throwIfAny(null, results.stream().filter(r -> !r.succeeded())
                .map(r -> new Problem("[" + r.image().name() + "] " + r.failedStep() + ": " + r.failure().getMessage(),
                        r.failure()))
                .toList());
    }

    /**
     * Fails the goal with one line per problem under {@code heading} (none when null): a failure when every problem
     * is the user's to fix, else an error; the first exception is the cause.
     */
    static void throwIfAny(String heading, List<Problem> problems) throws MojoFailureException, MojoExecutionException {
        if (problems.isEmpty()) {
            return;
        }
        String message = (heading == null ? "" : heading + "\n")
                + problems.stream().map(Problem::line).collect(Collectors.joining("\n"));
        Throwable cause = problems.stream().map(Problem::cause).filter(Objects::nonNull).findFirst().orElse(null);
        throw fault(message, cause, problems.stream().allMatch(p -> p.cause() == null || isUserFault(p.cause())));
    }

    /**
     * What to throw when a call of the core failed: the error to throw when the environment is at fault; when the
     * user is, the failure is thrown from here.
     */
    static MojoExecutionException fault(String message, Throwable cause) throws MojoFailureException {
        return fault(message, cause, isUserFault(cause));
    }

    private static MojoExecutionException fault(String message, Throwable cause, boolean userFault)
            throws MojoFailureException {
        if (userFault) {
            throw new MojoFailureException(message, cause);
        }
        return new MojoExecutionException(message, cause);
    }

    private static boolean isUserFault(Throwable t) {
        return t instanceof ConfigurationException || t instanceof ProvisionException || t instanceof CandidateException
                || t instanceof PlatformException p && p.isUserError();
    }
}
