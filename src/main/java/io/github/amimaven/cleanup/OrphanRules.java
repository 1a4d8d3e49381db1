package io.github.amimaven.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import io.github.amimaven.platform.TaggedResource;

/**
 * When a tagged resource is an orphan, in this order:
 * <ol>
 * <li>the platform knows its maker is gone (a local VM whose JVM died): orphan;</li>
 * <li>an image (or snapshot) whose {@code ami:status} is not {@code candidate}, or a candidate whose
 * {@code ami:expires} is {@code never} (its build finished it: the build's output, which {@code verify} judges):
 * kept;</li>
 * <li>a machine kept for debugging, and its firewall ({@code ami:kept-until} not yet passed): kept;</li>
 * <li>its build is recorded on this machine ({@link BuildRegistry}): running, kept (even past its expiry: a build
 * that runs long is still using it); ended or died, orphan;</li>
 * <li>otherwise (another machine's build): orphan once {@code ami:expires} has passed, kept until then, and kept
 * when it has no readable {@code ami:expires}.</li>
 * </ol>
 */
public final class OrphanRules {

    /** Default of {@code resourceLifetime}: longer than a build, short enough that a leak costs little. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(6);

    private OrphanRules() {
    }

    /** The value of {@code ami:expires} for a resource created now: ISO-8601 UTC to the second. */
    public static String expiresTag(Instant now, Duration lifetime) {
        return now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Whether a resource is an orphan, and why (for the log). */
    public record Verdict(boolean orphan, String reason) {
        static Verdict orphan(String reason) {
            return new Verdict(true, reason);
        }

        static Verdict keep(String reason) {
            return new Verdict(false, reason);
        }
    }

    public static Verdict judge(TaggedResource r, BuildRegistry builds, Instant now) {
        if (r.deadOwner() != null) {
            return Verdict.orphan(r.deadOwner());
        }
        String expires = r.tags().get(TaggedResource.EXPIRES);
        boolean image = r.kind() == TaggedResource.Kind.IMAGE || r.kind() == TaggedResource.Kind.SNAPSHOT;
        if (image) {
            String status = r.tags().get(TaggedResource.STATUS);
            if (!"candidate".equals(status)) {
                return Verdict.keep("its status is " + status);
            }
        }
        if (TaggedResource.NEVER.equals(expires)) {
            return Verdict.keep("a finished candidate, the output of build " + r.buildId());
        }
        Instant keptUntil = parse(r.tags().get(TaggedResource.KEPT_UNTIL));
        if (keptUntil != null && now.isBefore(keptUntil)) {
            return Verdict.keep("kept for debugging (keepOnFailure) until " + r.tags().get(TaggedResource.KEPT_UNTIL));
        }
        BuildRegistry.Status build = builds.status(r.buildId());
        switch (build.state()) {
            case RUNNING:
                return Verdict.keep(build.reason());
            case ENDED:
                return Verdict.orphan(build.reason());
            default:
                break;
        }
        Instant expiry = parse(expires);
        if (expiry == null) {
            return Verdict.keep(build.reason() + " and it has no " + TaggedResource.EXPIRES + " tag");
        }
        if (now.isAfter(expiry)) {
            return Verdict.orphan("it expired at " + expires + " (" + build.reason() + ")");
        }
        return Verdict.keep(build.reason() + "; it expires at " + expires);
    }

    static Instant parse(String expires) {
        if (expires == null) {
            return null;
        }
        try {
            return Instant.parse(expires);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
