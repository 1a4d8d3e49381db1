package io.github.amimaven.platform.ec2;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * When a wait polls: the first poll {@code first} after the call that started the change (no EC2 state changes
 * within a round trip, so an immediate poll would only cost a call), then each gap {@code factor} times the one
 * before, up to {@code max}, each within ±10 % so that parallel builds do not poll in step.
 *
 * <p>A wait that ends at time T is noticed at most about {@code (factor - 1) × T} late, and costs about
 * log(T / first) / log(factor) polls until the gaps reach {@code max}. The default (0.5 s, ×1.5, 15 s) notices a
 * 3 s launch by 4 s with 4 polls, a 5-minute image within 15 s with 27 polls.</p>
 */
public record PollSchedule(Duration first, double factor, Duration max) implements BackoffStrategy {

    public static final PollSchedule DEFAULT = new PollSchedule(Duration.ofMillis(500), 1.5, Duration.ofSeconds(15));

    public PollSchedule {
        if (first.isNegative() || first.isZero() || factor < 1 || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("first > 0, factor >= 1 and max >= first required");
        }
    }

    /** The gap before poll {@code n + 1} (the first poll is n = 0, after {@link #first()}), without jitter. */
    public Duration gap(int n) {
        double millis = first.toMillis() * Math.pow(factor, Math.max(0, n));
        return Duration.ofMillis((long) Math.min(millis, max.toMillis()));
    }

    /**
     * The SDK waiters call this after their {@code attempt}-th poll with {@code attempt + 2} (the retries API counts
     * the next attempt, and its first delay is before attempt 2); our first poll came after {@link #first()}, so the
     * gap after poll k is {@code gap(k)}.
     */
    @Override
    public Duration computeDelay(int attempt) {
        return jittered(gap(attempt - 2));
    }

    static Duration jittered(Duration d) {
        return Duration.ofMillis(Math.round(d.toMillis() * ThreadLocalRandom.current().nextDouble(0.9, 1.1)));
    }

    /** Sleeps until the first poll; interruptible, like the waiter's own sleeps. */
    void sleepBeforeFirstPoll() throws InterruptedException {
        Thread.sleep(jittered(first).toMillis());
    }
}
