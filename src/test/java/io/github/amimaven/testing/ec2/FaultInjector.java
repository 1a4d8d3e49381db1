package io.github.amimaven.testing.ec2;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The faults one account's requests meet before they reach a handler. Throttling draws from a seeded random so
 * that a failing test fails the same way on every run.
 */
final class FaultInjector {

    /** An injected answer: an error envelope with this code and message, or, when {@code answer} is set, that answer. */
    record Failure(String code, String message, int status, int remaining, AccountState.BrokenAnswer answer) {

        Ec2Error error() {
            return new Ec2Error(code, message, status);
        }

        Failure once() {
            return new Failure(code, message, status, remaining - 1, answer);
        }
    }

    /** The action name that makes a failure or latency apply to every action without one of its own. */
    static final String ANY = "*";

    private double throttleFraction;
    private Set<String> throttleActions = Set.of();
    private Random throttleRandom = new Random(0);
    private final Map<String, Failure> failures = new HashMap<>();
    private final Map<String, Duration> latency = new HashMap<>();
    private volatile boolean imagesFail;
    /** Instance types RunInstances has no capacity for, as {@code type/spot} or {@code type/on-demand}. */
    private final Set<String> noCapacity = new HashSet<>();
    private final Set<String> unsupportedTypes = new HashSet<>();

    synchronized void throttle(double fraction, long seed, Set<String> actions) {
        this.throttleFraction = fraction;
        this.throttleRandom = new Random(seed);
        this.throttleActions = actions == null ? Set.of() : Set.copyOf(actions);
    }

    /** Fails {@code action} {@code times} times (0 or less: always) with the given error. */
    synchronized void fail(String action, String code, String message, int status, int times) {
        failures.put(action, new Failure(code, message, status, times <= 0 ? -1 : times, null));
    }

    /** Answers {@code action} {@code times} times (0 or less: always) with {@code answer} and {@code status}. */
    synchronized void brokenAnswer(String action, AccountState.BrokenAnswer answer, int status, int times) {
        failures.put(action, new Failure(null, null, status, times <= 0 ? -1 : times, answer));
    }

    synchronized void latency(String action, Duration delay) {
        if (delay == null || delay.isZero()) {
            latency.remove(action);
        } else {
            latency.put(action, delay);
        }
    }

    void imagesFail(boolean fail) {
        imagesFail = fail;
    }

    boolean imagesFail() {
        return imagesFail;
    }

    synchronized void noCapacity(String instanceType, boolean spot) {
        noCapacity.add(instanceType + (spot ? "/spot" : "/on-demand"));
    }

    synchronized void unsupported(String instanceType) {
        unsupportedTypes.add(instanceType);
    }

    /** RunInstances' error for this instance type and market, or null when it has room. */
    synchronized Ec2Error launchRefusal(String instanceType, boolean spot, String zone) {
        if (unsupportedTypes.contains(instanceType)) {
            return Ec2Error.of("Unsupported", "Your requested instance type (" + instanceType + ") is not supported in your"
                    + " requested Availability Zone (" + zone + "). Please retry your request by not specifying an"
                    + " Availability Zone or choosing another one.");
        }
        if (noCapacity.contains(instanceType + (spot ? "/spot" : "/on-demand"))) {
            // EC2 answers it as a server error (500), which the SDKs retry before it reaches the caller
            return new Ec2Error("InsufficientInstanceCapacity", "We currently do not have sufficient " + instanceType
                    + " capacity in the Availability Zone you requested (" + zone + "). Our system will be working on"
                    + " provisioning additional capacity.", 500);
        }
        return null;
    }

    synchronized void clear() {
        throttleFraction = 0;
        throttleActions = Set.of();
        failures.clear();
        latency.clear();
        imagesFail = false;
        noCapacity.clear();
        unsupportedTypes.clear();
    }

    synchronized Duration latencyFor(String action) {
        return latency.getOrDefault(action, latency.getOrDefault(ANY, Duration.ZERO));
    }

    /** Throttling draws once per request, so the seeded sequence depends only on the order of requests. */
    synchronized boolean shouldThrottle(String action) {
        if (throttleFraction <= 0) {
            return false;
        }
        if (!throttleActions.isEmpty() && !throttleActions.contains(action)) {
            return false;
        }
        return throttleRandom.nextDouble() < throttleFraction;
    }

    /** The injected failure for this call, if any, counting down a limited one. */
    synchronized Failure failureFor(String action) {
        if (!failures.containsKey(action)) {
            action = ANY;
        }
        Failure f = failures.get(action);
        if (f == null) {
            return null;
        }
        if (f.remaining > 0) {
            if (f.remaining == 1) {
                failures.remove(action);
            } else {
                failures.put(action, f.once());
            }
        }
        return f;
    }
}
