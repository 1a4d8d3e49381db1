package io.github.amimaven.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Durations too long for any clock are refused as out of range, never wrapped around or crashed on. */
class DurationsTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"99999999999999999999", "9223372036854775808", "213503982334602d", "106751991167301d1s",
            "99999999999999999999h", "PT99999999999999999999S", "P999999999999999D", "PT2562047788015216H"})
    void aDurationBeyondAnyClockIsOutOfRange(String text) {
        Errors errors = new Errors();
        assertNull(Durations.parse(text, "<timeout>", Duration.ofSeconds(1), Duration.ofHours(2), errors));
        assertEquals(List.of("<timeout> '" + text + "' is out of range: choose between 1s and 2h"), errors.messages());
    }

    @Test
    void parseOrNullSaysOverflowInsteadOfWrappingAround() {
        // 213503982334602 days are 2^64 + 61184 s: a long multiplication wraps them to 16 h 59 min
        assertThrows(ArithmeticException.class, () -> Durations.parseOrNull("213503982334602d"));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), Durations.parseOrNull("9223372036854775807"));
        assertEquals(Duration.ofDays(106_751_991_167_300L), Durations.parseOrNull("106751991167300d"));
    }

    @Test
    void aMalformedDurationIsStillNotADuration() {
        Errors errors = new Errors();
        assertNull(Durations.parse("PT1X", "<timeout>", Duration.ZERO, Duration.ofHours(2), errors));
        assertEquals(List.of("<timeout> 'PT1X' is not a duration: write e.g. 90s, 10m, 1h30m or PT10M"), errors.messages());
    }
}
