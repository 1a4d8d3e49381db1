package io.github.amimaven.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long the EC2 test endpoint takes for each state transition in a benchmark: real EC2's minutes scaled down to
 * seconds, so that a run takes minutes while the waits still dominate the way they do on AWS.
 */
public record Latencies(Duration instancePending, Duration instanceStopping, Duration instanceShuttingDown,
        Duration imagePending, Duration imageCopy) {

    /** Instance running after 3 s, stopped after 2 s, terminated after 2 s, image available after 8 s, copy 10 s. */
    public static Latencies scaled() {
        return new Latencies(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(8),
                Duration.ofSeconds(10));
    }

    /** The {@code delays} object of the endpoint's admin configuration. */
    public Map<String, Object> endpointDelays() {
        Map<String, Object> delays = new LinkedHashMap<>();
        delays.put("instancePending", instancePending.toMillis());
        delays.put("instanceStopping", instanceStopping.toMillis());
        delays.put("instanceShuttingDown", instanceShuttingDown.toMillis());
        delays.put("imagePending", imagePending.toMillis());
        delays.put("imageCopy", imageCopy.toMillis());
        return delays;
    }

    public String describe() {
        return "instance running " + Report.seconds(instancePending) + " s, stopped " + Report.seconds(instanceStopping)
                + " s, terminated " + Report.seconds(instanceShuttingDown) + " s, image available "
                + Report.seconds(imagePending) + " s, copy " + Report.seconds(imageCopy) + " s per region";
    }
}
