package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.waiters.Waiter;
import software.amazon.awssdk.core.waiters.WaiterAcceptor;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;

class PollScheduleTest {

    @Test
    void gapsGrowByTheFactorUpToTheMaximum() {
        PollSchedule s = PollSchedule.DEFAULT;
        assertEquals(Duration.ofMillis(500), s.gap(0));
        assertEquals(Duration.ofMillis(750), s.gap(1));
        assertEquals(Duration.ofMillis(1125), s.gap(2));
        assertEquals(Duration.ofSeconds(15), s.gap(9));
        assertEquals(Duration.ofSeconds(15), s.gap(40));
        for (int attempt = 3; attempt < 60; attempt++) {
            Duration gap = s.gap(attempt - 2);
            Duration d = s.computeDelay(attempt);
            assertTrue(d.toMillis() >= gap.toMillis() * 0.9 - 1 && d.toMillis() <= gap.toMillis() * 1.1 + 1, attempt + ": " + d);
        }
    }

    /** A default wait notices a change late by at most half the time it took, and polls a few times for it. */
    @Test
    void defaultWaitsAreNoticedSoonWithFewPolls() {
        assertEquals(List.of(500L, 1250L, 2375L, 4062L), pollTimesUntil(PollSchedule.DEFAULT, 3000));
        assertEquals(9, pollTimesUntil(PollSchedule.DEFAULT, 30_000).size());
        // a five-minute image: 27 polls, the last less than 15 s after it became available
        List<Long> image = pollTimesUntil(PollSchedule.DEFAULT, 300_000);
        assertEquals(27, image.size());
        assertTrue(image.get(image.size() - 1) < 315_000);
    }

    private static List<Long> pollTimesUntil(PollSchedule s, long doneAtMillis) {
        List<Long> polls = new ArrayList<>();
        long t = s.first().toMillis();
        for (int n = 1; ; n++) {
            polls.add(t);
            if (t >= doneAtMillis) {
                return polls;
            }
            t += s.gap(n).toMillis();
        }
    }

    @Test
    void badSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PollSchedule(Duration.ZERO, 1.5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PollSchedule(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PollSchedule(Duration.ofSeconds(2), 1.5, Duration.ofSeconds(1)));
    }

    /** The SDK's waiter sleeps the schedule's gaps between its polls: gap(1) after the first, gap(2) after the second. */
    @Test
    void theSdkWaiterPollsOnTheSchedule() {
        PollSchedule s = new PollSchedule(Duration.ofMillis(100), 2, Duration.ofMillis(400));
        List<Long> polls = new ArrayList<>();
        long start = System.nanoTime();
        Waiter<Integer> waiter = Waiter.builder(Integer.class)
                .addAcceptor(WaiterAcceptor.successOnResponseAcceptor(n -> n >= 5))
                .addAcceptor(WaiterAcceptor.retryOnResponseAcceptor(n -> true))
                .overrideConfiguration(WaiterOverrideConfiguration.builder().maxAttempts(10)
                        .waitTimeout(Duration.ofSeconds(30)).backoffStrategyV2(s).build())
                .build();
        waiter.run(() -> {
            polls.add((System.nanoTime() - start) / 1_000_000);
            return polls.size();
        });
        assertEquals(5, polls.size());
        long[] expected = {200, 400, 400, 400};
        for (int i = 0; i < expected.length; i++) {
            long gap = polls.get(i + 1) - polls.get(i);
            // sleeps never end early; a loaded machine may make them late
            assertTrue(gap >= expected[i] * 0.9 - 1 && gap < expected[i] * 1.1 + 1000, "gap " + i + ": " + polls);
        }
    }
}
