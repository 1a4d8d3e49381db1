package io.github.amimaven.config;

import io.github.amimaven.validation.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.cleanup.OrphanRules;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.PlatformParameters;

/** A goal's whole configuration checked at once: the goal's own parameters, the images, and each platform's. */
class DefinitionsTest {

    @TempDir
    Path basedir;

    static ImageConfig local(String name) {
        return new ImageConfig().name(name).platform("local").source(new SourceConfig().path("disk.qcow2"))
                .ssh(new SshConfig().user("debian"));
    }

    Definitions.Request request(List<ImageConfig> images, int threads, String lifetime, PlatformParameters platforms) {
        return new Definitions.Request(images, null, null, threads, 10, lifetime, true, platforms,
                new ProjectInfo("com.example", "images", "1.0", basedir, basedir.resolve("target")));
    }

    PlatformParameters parameters() {
        return new PlatformParameters(basedir).with("maxAttempts", 10);
    }

    @Test
    void everyProblemIsListedOnceFromTheGoalTheImagesAndThePlatforms() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Definitions.resolve(request(
                List.of(ImageDefinitionsTest.image("web").instanceType("huge")), 0, "5m",
                parameters().with("local.memory", 128))));
        assertEquals(List.of("<threads> is 0: build 1 to 64 images at a time",
                "<resourceLifetime> '5m' is out of range: choose between 10m and 30d",
                "<images>/<image name=web>/<instanceType> 'huge' is not an instance type: write e.g. t3.micro",
                "<region> is missing: set <region>ap-southeast-2</region> (or -Dami.region=…) for EC2 images",
                "<local>/<memory> is 128: give 256 to 65536 MiB"), e.problems());
    }

    @Test
    void aPlatformNoImageIsBuiltOnNeedsNoParameters() {
        Definitions d = Definitions.resolve(request(List.of(local("vm")), 4, "90m", parameters()));
        assertEquals(List.of("vm"), d.specs().stream().map(s -> s.name()).toList());
        assertEquals(Duration.ofMinutes(90), d.run().resourceLifetime());
        assertTrue(d.run().cleanOrphansFirst());
        assertEquals(OrphanRules.DEFAULT_LIFETIME, Definitions.resolve(request(List.of(local("vm")), 4, null,
                parameters())).run().resourceLifetime());
    }

    @Test
    void ec2sUserDataLimitDoesNotBindLocalImages() {
        Definitions d = Definitions.resolve(request(List.of(local("vm").userData("x".repeat(17 * 1024))), 4, "6h",
                parameters()));
        assertEquals(17 * 1024, d.specs().get(0).launch().userData().length());
    }
}
