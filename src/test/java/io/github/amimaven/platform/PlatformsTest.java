package io.github.amimaven.platform;

import io.github.amimaven.validation.Problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.testing.CollectingLog;

/** The registry of platform kinds, and the platforms of a build that it opens. */
class PlatformsTest {

    final List<String> calls = new ArrayList<>();

    /** A kind that records what is asked of it; its one orphan location is its id. */
    final class RecordingKind implements PlatformKind {
        final String id;
        final boolean isDefault;
        final Platform platform = (Platform) Proxy.newProxyInstance(Platform.class.getClassLoader(),
                new Class<?>[] {Platform.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });

        RecordingKind(String id, boolean isDefault) {
            this.id = id;
            this.isDefault = isDefault;
        }

        @Override public String id() { return id; }
        @Override public boolean isDefault() { return isDefault; }
        @Override public void checkParameters(PlatformParameters p, boolean used, Problems problems) { }
        @Override public void checkSource(String i, List<String> o, String p, String at, Problems problems) { }
        @Override public void checkImage(ImageSettings image, String at, Problems problems) { }
        @Override public void checkRelease(ReleaseSpec.Promotion p, List<String> d, String at, Problems problems) { }
        @Override public String orphanLocationHint() { return "use " + id; }

        @Override
        public List<OrphanLocation> orphanLocations(PlatformParameters parameters, boolean used, Problems problems) {
            return used ? List.of(new OrphanLocation(id, id + "-place", id + " at " + id + "-place")) : List.of();
        }

        @Override
        public PlatformSession open(PlatformParameters parameters, BuildLog log) {
            calls.add("open " + id);
            return new PlatformSession() {
                @Override public void checkCredentials() { calls.add("credentials " + id); }
                @Override public Platform platform() { return platform; }
                @Override public ReleasePlatform releasePlatform() { throw new UnsupportedOperationException(); }
                @Override public Platform platformAt(String place) { calls.add(id + " at " + place); return platform; }
                @Override public void close() { calls.add("close " + id); }
            };
        }
    }

    final RecordingKind a = new RecordingKind("a", true);
    final RecordingKind b = new RecordingKind("b", false);
    final PlatformKinds kinds = new PlatformKinds(List.of(a, b));

    Platforms platforms() {
        return new Platforms(kinds, new PlatformParameters(Path.of(".")), new CollectingLog());
    }

    static ImageSpec image(String name, String platform) {
        return new ImageSpec(name, platform, null, null, null, List.of(), Map.of(), "{name}-{timestamp}", null, null);
    }

    @Test
    void thePluginRegistersEc2AsTheDefaultAndLocal() {
        assertEquals(List.of("ec2", "local"), List.copyOf(PlatformKinds.registered().ids()));
        assertEquals("ec2", PlatformKinds.registered().defaultKind().id());
    }

    @Test
    void anUnknownPlatformIsTheUsersErrorNamingEveryRegisteredOne() {
        PlatformException e = assertThrows(PlatformException.class, () -> platforms().platformFor(image("web", "vmware")));
        assertEquals("platform 'vmware' of image web is unknown: use <platform>a</platform> or <platform>b</platform>",
                e.getMessage());
        assertTrue(e.isUserError());
        try (Platforms registered = new Platforms(new PlatformParameters(Path.of(".")), new CollectingLog())) {
            assertEquals("platform 'vmware' of image web is unknown: use <platform>ec2</platform> or <platform>local</platform>",
                    assertThrows(PlatformException.class, () -> registered.releasePlatformFor(image("web", "vmware"))).getMessage());
        }
        assertEquals(List.of(), calls, "nothing is opened for an unknown platform");
    }

    @Test
    void aRegistryTakesEachIdOnceAndExactlyOneDefault() {
        assertThrows(IllegalStateException.class, () -> new PlatformKinds(List.of(a, new RecordingKind("a", false))));
        assertThrows(IllegalStateException.class, () -> new PlatformKinds(List.of(b)));
        assertThrows(IllegalStateException.class, () -> new PlatformKinds(List.of(a, new RecordingKind("c", true))));
    }

    @Test
    void eachKindIsOpenedOnFirstUseCheckedOnceAndClosedWithTheBuild() {
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(List.of(image("x", "b"), image("y", "b")));
            assertSame(b.platform, platforms.platformFor(image("x", "b")));
            assertSame(a.platform, platforms.platformFor(image("z", "a")));
        }
        assertEquals(List.of("open b", "credentials b", "open a", "close a", "close b"), calls);
    }

    @Test
    void orphansAreLookedForOnThePlatformsInUseOrNamedByTheBuild() {
        try (Platforms platforms = platforms()) {
            List<String> problems = new ArrayList<>();
            Problems sink = (path, problem, fix) -> problems.add(path);
            assertEquals(List.of("a"), kinds(platforms.orphanLocations(Set.of(), null, sink)), "no image: the default");
            assertEquals(List.of("a", "b"), kinds(platforms.orphanLocations(Set.of(), "b", sink)), "and the build's");
            assertEquals(List.of("b"), kinds(platforms.orphanLocations(Set.of("b"), null, sink)));
            assertEquals(List.of("a", "b"), kinds(platforms.orphanLocations(Set.of("b"), "a", sink)));
            assertEquals(List.of(), problems);
            assertEquals("use a, or use b", platforms.orphanLocationHints());
        }
    }

    @Test
    void orphanPlatformsAreMadeOnceTheirKindsCredentialsAreChecked() {
        try (Platforms platforms = platforms()) {
            List<OrphanLocation> locations = List.of(new OrphanLocation("b", "one", "b one"),
                    new OrphanLocation("b", "two", "b two"), new OrphanLocation("a", null, "a"));
            assertEquals(List.of(b.platform, b.platform, a.platform), platforms.orphanPlatforms(locations));
        }
        assertEquals(List.of("open b", "credentials b", "open a", "credentials a", "b at one", "b at two", "a at null",
                "close a", "close b"), calls);
    }

    static List<String> kinds(List<OrphanLocation> locations) {
        return locations.stream().map(OrphanLocation::kind).toList();
    }
}
