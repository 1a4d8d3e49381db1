package io.github.amimaven.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.FakePlatform;

class CreateFirewallTest {

    @Test
    void aFirewallOpenToTheWorldIsWarnedAboutLoudlyWhenItIsMade() {
        SshAccess ssh = new SshAccess("centos", 2222, SshAccess.AddressType.AUTO, Duration.ofMinutes(5), null, null,
                List.of("203.0.113.7/32", "0.0.0.0/0"), null);
        ImageSpec image = new ImageSpec("web", "fake", new SourceSpec("ami-1", null, null, null, null),
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), ssh, List.of(),
                Map.of(), ImageNamer.DEFAULT_TEMPLATE, null, Timeouts.defaults());
        CollectingLog log = CollectingLog.quiet();
        new CreateFirewall().run(new BuildContext(image, new FakePlatform(), log, "b1",
                new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target"))));
        assertEquals(List.of("WARN image web: <ssh><allowedCidrs> 0.0.0.0/0 opens the builder's SSH port 2222 to the WHOLE"
                + " INTERNET while it runs; unless you mean it, list only the build machine's addresses, e.g. 203.0.113.7/32"),
                log.lines().stream().filter(l -> l.startsWith("WARN")).toList());
    }
}
