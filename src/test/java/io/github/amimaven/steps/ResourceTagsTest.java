package io.github.amimaven.steps;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.Timeouts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;

class ResourceTagsTest {

    @Test
    void everyTemporaryResourceSaysWhoMadeItAndUntilWhen() {
        ImageSpec image = new ImageSpec("web", "fake", new SourceSpec("ami-1", null, null, null, null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), null, List.of(),
                Map.of(), ImageNamer.DEFAULT_TEMPLATE, null, Timeouts.defaults());
        BuildContext c = new BuildContext(image, new FakePlatform(), new CollectingLog(), "b1a2b3c4",
                new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target")))
                .withResourceLifetime(Duration.ofMinutes(90));
        Instant before = Instant.now();
        Map<String, String> tags = c.resourceTags("builder");
        assertEquals("b1a2b3c4", tags.get("ami:build-id"));
        assertEquals("com.example:images", tags.get("ami:project"));
        assertEquals("web", tags.get("ami:image"));
        assertEquals("builder", tags.get("ami:role"));
        String expires = tags.get("ami:expires");
        assertTrue(expires.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), expires);
        Instant at = Instant.parse(expires);
        Instant expected = before.plus(Duration.ofMinutes(90));
        assertTrue(!at.isBefore(expected.minusSeconds(1)) && !at.isAfter(expected.plusSeconds(2)), expires);
        Instant byDefault = Instant.parse(new BuildContext(image, new FakePlatform(), new CollectingLog(), "b1",
                new ProjectInfo("g", "a", "1", Path.of("."), Path.of("t"))).resourceTags("key").get("ami:expires"));
        assertTrue(Duration.between(before.plus(Duration.ofHours(6)), byDefault).abs().getSeconds() <= 2,
                "default lifetime 6 h: " + byDefault);
    }
}
