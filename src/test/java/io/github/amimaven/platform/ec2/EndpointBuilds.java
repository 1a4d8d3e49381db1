package io.github.amimaven.platform.ec2;

import io.github.amimaven.steps.BuildContext;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

import io.github.amimaven.steps.ImageBuilds;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.testing.CollectingLog;

/**
 * Runs one image's pipeline the way the goals do, through the real SDK against an EC2 test endpoint, with the
 * credentials of the aws.* system properties. Info lines are kept as they are, warnings and errors prefixed.
 */
final class EndpointBuilds {

    record Run(ImageResult result, List<String> log) {
    }

    private EndpointBuilds() {
    }

    static Run run(URI endpoint, String region, ImageSpec spec, Function<ImageSpec, List<Step<BuildContext>>> pipeline,
            ProjectInfo project) {
        CollectingLog log = CollectingLog.quiet();
        Ec2Clients clients = new Ec2Clients(new Ec2Settings(region, null, null, endpoint, 4));
        PlatformProvider provider = new PlatformProvider() {
            @Override
            public Platform platformFor(ImageSpec image) {
                return new Ec2Platform(clients.client(region), region);
            }

            @Override
            public void close() {
                clients.close();
            }
        };
        try (provider) {
            List<ImageResult> results = ImageBuilds.run(List.of(spec), pipeline, provider, log, "b1", project, 1);
            return new Run(results.get(0), log.messages());
        }
    }
}
