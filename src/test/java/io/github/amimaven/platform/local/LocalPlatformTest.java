package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.process.LocalProcess;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.testing.RequiredTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPlatformTest {

    @TempDir
    Path tmp;

    private LocalPlatform platform(String qemuBinary) {
        return new LocalPlatform(AcceleratorTest.LOG, LocalPlatform.Options.defaults().withStoreDir(tmp.resolve("store"))
                .withWorkDir(tmp.resolve("work")).withAccelerator("tcg").withQemu(qemuBinary, "qemu-img"));
    }

    private static SourceSpec byPath(Path p) {
        return new SourceSpec(null, null, null, null, p.toString());
    }

    private static LocalImage image(String id, String name, String created, String status) {
        return new LocalImage(id, name, null, null, status, LocalImage.STATE_AVAILABLE, Map.of("role", "web"),
                null, created, id + ".qcow2", "qcow2", 1L, "x", null);
    }

    @Test
    void sourceByPathIdAndName() throws Exception {
        try (LocalPlatform p = platform("qemu-system-x86_64")) {
            Path disk = Files.writeString(tmp.resolve("base.qcow2"), "x");
            SourceImage s = p.resolveSource(byPath(disk));
            assertEquals(disk.toString(), s.id());
            assertEquals("base.qcow2", s.name());

            String a = ImageStore.newId();
            String b = ImageStore.newId();
            p.store().save(image(a, "web-1", "2026-01-01T00:00:00Z", LocalImage.STATUS_RELEASED));
            p.store().save(image(b, "web-2", "2026-02-01T00:00:00Z", LocalImage.STATUS_CANDIDATE));
            assertEquals(a, p.resolveSource(new SourceSpec(a, null, null, null, null)).id());
            assertEquals(b, p.resolveSource(new SourceSpec(null, null, "web-*", null, null)).id());
            assertEquals(a, p.resolveSource(new SourceSpec(null, null, "web-*",
                    Map.of("status", List.of("released")), null)).id());
            assertEquals(b, p.resolveSource(new SourceSpec(null, null, "*",
                    Map.of("tag:role", List.of("web")), null)).id());

            PlatformException e = assertThrows(PlatformException.class,
                    () -> p.resolveSource(byPath(tmp.resolve("missing.qcow2"))));
            assertTrue(e.isUserError());
            assertTrue(assertThrows(PlatformException.class,
                    () -> p.resolveSource(new SourceSpec(null, null, "db-*", null, null))).isUserError());
            assertTrue(assertThrows(PlatformException.class,
                    () -> p.resolveSource(new SourceSpec("img-00000000000000ff", null, null, null, null))).isUserError());
        }
    }

    @Test
    void keysAndFirewallsAreBookkeepingOnly() {
        try (LocalPlatform p = platform("qemu-system-x86_64")) {
            assertEquals("k1", p.importKeyPair("k1", "ssh-ed25519 AAAA", Map.of()));
            assertTrue(p.createSshFirewall("fw", List.of("127.0.0.1/32"), 22, java.util.Optional.empty(), Map.of())
                    .isEmpty());
            p.deleteFirewall("anything");
            p.deleteKeyPair("k1");
            p.deleteKeyPair("k1");
            assertEquals("local", p.id());
            assertEquals(tmp.resolve("store").toString(), p.location());
        }
    }

    @Test
    void deletesAreIdempotent() {
        try (LocalPlatform p = platform("qemu-system-x86_64")) {
            p.terminate("vm-unknown");
            p.awaitTerminated("vm-unknown", Duration.ofSeconds(1));
            p.deleteImage("img-00000000000000aa");
            p.deleteImage("not-an-id");
        }
    }

    /** QEMU that dies at once: the launch fails and leaves no VM directory behind. */
    @Test
    void failedLaunchLeavesNothing() throws Exception {
        RequiredTool.program("qemu-img", "qemu-utils");
        Path base = tmp.resolve("base.qcow2");
        LocalProcess.output(List.of("qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M"), Duration.ofSeconds(30));
        Path fakeQemu = tmp.resolve("fake-qemu");
        Files.writeString(fakeQemu, "#!/bin/sh\necho 'fake qemu: cannot start' >&2\nexit 1\n");
        fakeQemu.toFile().setExecutable(true);
        try (LocalPlatform p = platform(fakeQemu.toString())) {
            LaunchSpec spec = new LaunchSpec(base.toString(), null, null, "ssh-ed25519 AAAA k", null, null, null, null,
                    null, null, false, null, Map.of());
            PlatformException e = assertThrows(PlatformException.class, () -> p.launch(spec));
            assertTrue(e.getMessage().contains("fake qemu: cannot start"), e.getMessage());
            try (var files = Files.list(tmp.resolve("work"))) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    @Test
    void launchFromMissingSourceIsAUserError() {
        try (LocalPlatform p = platform("qemu-system-x86_64")) {
            LaunchSpec spec = new LaunchSpec(tmp.resolve("nope.qcow2").toString(), null, null, null, null, null, null,
                    null, null, null, false, null, Map.of());
            assertTrue(assertThrows(PlatformException.class, () -> p.launch(spec)).isUserError());
        }
    }

    @Test
    void longWorkDirsPutTheQmpSocketUnderTheShortTempRoot() {
        Path shortDir = Path.of("/tmp/w/vm-1");
        assertEquals(shortDir.resolve("qmp.sock"), VmLauncher.qmpSocketPath(shortDir, "vm-1"));
        Path longDir = Path.of("/tmp/" + "x".repeat(120) + "/vm-1");
        assertEquals(ShortTemp.root().resolve("ami-vm-1.qmp"), VmLauncher.qmpSocketPath(longDir, "vm-1"));
    }
}
