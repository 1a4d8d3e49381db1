package io.github.amimaven.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CollectingLogTest {

    @Test
    void keepsEveryLineAndEchoesIt() {
        List<String> echoed = new ArrayList<>();
        CollectingLog log = new CollectingLog(echoed::add);
        log.debug("d");
        log.prefixed("web").info("i");
        log.warn("w");
        log.error("e");
        List<String> all = List.of("DEBUG d", "INFO [web] i", "WARN w", "ERROR e");
        assertEquals(all, log.lines());
        assertEquals(all, echoed);
        assertEquals(String.join("\n", all), log.text());
    }

    @Test
    void messagesAreWhatAUserSeesAtTheDefaultLevel() {
        CollectingLog log = CollectingLog.quiet();
        log.debug("probe");
        log.info("WARN is only a word here");
        log.warn("careful");
        log.error("broken");
        assertEquals(List.of("WARN is only a word here", "WARN careful", "ERROR broken"), log.messages());
    }
}
