package io.github.amimaven.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ImageNamerTest {

    private static final Instant AT = Instant.parse("2026-11-21T14:15:02Z");

    @Test
    void defaultNameIsImageNameAndUtcTimestamp() {
        assertEquals("centos7-secure-20261121-141502",
                ImageNamer.render(ImageNamer.DEFAULT_TEMPLATE, "centos7-secure", "1.0", "b1234", AT));
    }

    @Test
    void allTokens() {
        assertEquals("web 2.0.1-SNAPSHOT 20261121 141502 b1234",
                ImageNamer.render("{name} {version} {date} {time} {buildId}", "web", "2.0.1-SNAPSHOT", "b1234", AT));
    }

    @Test
    void templatesAreChecked() {
        assertNull(ImageNamer.problem("{name}-{version}-{timestamp}", "web", "1.0"));
        assertTrue(ImageNamer.problem("{name}-{when}", "web", "1.0").contains("unknown token {when}"));
        assertTrue(ImageNamer.problem("{name}", "web", "1.0").contains("would reuse the name"));
        assertTrue(ImageNamer.problem("{name}#{timestamp}", "web", "1.0").contains("which EC2 rejects"));
        assertThrows(IllegalArgumentException.class, () -> ImageNamer.render("{nope}", "a", "b", "c", AT));
    }
}
