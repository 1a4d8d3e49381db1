package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.platform.ImageSettings;
import io.github.amimaven.platform.OrphanLocation;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.validation.Problems;

/** What the local platform cannot build or release, its parameters, and its options made from them. */
class LocalPlatformKindTest {

    static final String AT = "<images>/<image name=vm>";
    static final Path BASEDIR = Path.of("/project");

    final LocalPlatformKind local = new LocalPlatformKind();
    final List<String> problems = new ArrayList<>();
    final Problems sink = (path, problem, fix) -> problems.add(path + " " + problem + ": " + fix);

    static SshAccess ssh(boolean strict) {
        return new SshAccess("debian", 22, SshAccess.AddressType.AUTO, Duration.ofMinutes(5), null, null, List.of(), null,
                strict);
    }

    @Test
    void windowsAndStrictHostKeysAreEc2s() {
        LaunchOptions launch = new LaunchOptions(null, null, List.of(), null, 20, null, null, true, null);
        local.checkImage(new ImageSettings(true, launch, ssh(true)), AT, sink);
        assertEquals(List.of(AT + "/<os> is windows, which only the ec2 platform builds: build Windows images with"
                + " <platform>ec2</platform>", AT + "/<ssh>/<strictHostKeys> needs the machine's console output, which"
                + " only the ec2 platform reads: remove it: local VMs listen on 127.0.0.1 only"), problems);
        problems.clear();
        local.checkImage(new ImageSettings(false, launch, null), AT, sink);
        assertEquals(List.of(), problems, "no SSH: no host keys");
        assertNull(local.defaultMachineType());
    }

    @Test
    void anImageIsPromotedInPlaceAndGoesNowhereElse() {
        local.checkRelease(ReleaseSpec.Promotion.COPY, List.of("regions", "deprecateAfter"), AT + "/<deploy>", sink);
        assertEquals(List.of(
                AT + "/<deploy>/<promotion> copy is EC2-only; local images are promoted in place: remove it, or use"
                        + " <promotion>tag</promotion>",
                AT + "/<deploy>/<regions> is EC2-only, but the image's <platform> is local: remove it, or build the image"
                        + " with <platform>ec2</platform>",
                AT + "/<deploy>/<deprecateAfter> is EC2-only, but the image's <platform> is local: remove it, or build the"
                        + " image with <platform>ec2</platform>"), problems);
        problems.clear();
        local.checkRelease(ReleaseSpec.Promotion.TAG, List.of(), AT + "/<deploy>", sink);
        assertEquals(List.of(), problems);
    }

    @Test
    void aSourceIdNamesAnImageOfTheStore() {
        local.checkSource("img 1", null, null, AT + "/<source>", sink);
        local.checkSource("img-0123456789abcdef", List.of("anyone"), "disk.qcow2", AT + "/<source>", sink);
        assertEquals(List.of(AT + "/<source>/<id> 'img 1' is not an image id: write the id of an image of the local"
                + " store, e.g. img-0123456789abcdef"), problems);
    }

    @Test
    void localIsCheckedWheneverGivenUsedOrNot() {
        local.checkParameters(new PlatformParameters(BASEDIR).with("local.accelerator", "hvf").with("local.memory", 128)
                .with("local.cpus", 65), false, sink);
        assertEquals(List.of("<local>/<accelerator> 'hvf' is unknown: use auto, kvm or tcg",
                "<local>/<memory> is 128: give 256 to 65536 MiB", "<local>/<cpus> is 65: give 1 to 64 CPUs"), problems);
    }

    @Test
    void optionsComeFromTheParametersTheStoreRelativeToTheProject() {
        PlatformParameters p = new PlatformParameters(BASEDIR).with("local.storeDirectory", "images")
                .with("local.accelerator", "tcg").with("local.memory", 2048).with("local.cpus", 4);
        LocalPlatform.Options options = LocalPlatformKind.options(p);
        assertEquals(BASEDIR.resolve("images"), options.storeDir());
        assertEquals("tcg", options.accelerator());
        assertEquals(2048, options.memoryMb());
        assertEquals(4, options.cpus());
        assertEquals(BASEDIR.resolve("/tmp/store"), LocalPlatformKind.options(p.with("localStore", "/tmp/store")).storeDir(),
                "-Dami.localStore wins");
        assertEquals(LocalPlatform.Options.defaults(), LocalPlatformKind.options(new PlatformParameters(BASEDIR)));
    }

    @Test
    void orphansAreLookedForInTheStoreWhenUsed() {
        assertEquals(List.of(new OrphanLocation("local", null, "the local platform")),
                local.orphanLocations(new PlatformParameters(BASEDIR), true, sink));
        assertEquals(List.of(), local.orphanLocations(new PlatformParameters(BASEDIR), false, sink));
        assertEquals("define a local image", local.orphanLocationHint());
    }
}
