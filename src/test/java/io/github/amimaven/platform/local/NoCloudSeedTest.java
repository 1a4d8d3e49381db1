package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.amimaven.testing.RequiredTool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoCloudSeedTest {

    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuild build@ami";

    @Test
    void metaDataHasInstanceIdAndHostname() {
        NoCloudSeed seed = new NoCloudSeed("vm-0a1b", "vm-0a1b", KEY, null);
        assertEquals("instance-id: vm-0a1b\nlocal-hostname: vm-0a1b\n", seed.metaData());
    }

    @Test
    void userDataAuthorizesTheKeyForTheDefaultUser() {
        String ud = new NoCloudSeed("vm-1", "vm-1", KEY + "\n", null).userData();
        assertTrue(ud.startsWith("#cloud-config\n"), ud);
        assertTrue(ud.contains("users:\n  - default\n"), ud);
        assertTrue(ud.contains("ssh_authorized_keys:\n  - \"" + KEY + "\"\n"), ud);
    }

    @Test
    void userDataOfTheUserIsAddedAsMimePart() {
        String ud = new NoCloudSeed("vm-1", "vm-1", KEY, "#!/bin/sh\necho hi\n").userData();
        assertTrue(ud.startsWith("Content-Type: multipart/mixed; boundary="), ud);
        assertTrue(ud.contains("Content-Type: text/cloud-config"), ud);
        assertTrue(ud.contains("Content-Type: text/x-shellscript"), ud);
        assertTrue(ud.contains("#!/bin/sh\necho hi\n"), ud);
        assertTrue(ud.contains(KEY), ud);
    }

    @Test
    void contentTypes() {
        assertEquals("text/cloud-config", NoCloudSeed.contentType("#cloud-config\nx: 1"));
        assertEquals("text/x-shellscript", NoCloudSeed.contentType("#!/bin/bash\n"));
        assertEquals("text/cloud-boothook", NoCloudSeed.contentType("#cloud-boothook\n"));
    }

    @Test
    void writesACidataIso(@TempDir Path dir) throws Exception {
        RequiredTool.isoWriter();
        Path iso = dir.resolve("seed.iso");
        new NoCloudSeed("vm-1", "vm-1", KEY, null).writeIso(iso);
        byte[] b = Files.readAllBytes(iso);
        // primary volume descriptor at 32 KiB: type 1, "CD001", volume id at offset 40
        assertEquals(1, b[32768]);
        assertEquals("CD001", new String(b, 32769, 5, StandardCharsets.US_ASCII));
        assertEquals("cidata", new String(b, 32808, 32, StandardCharsets.US_ASCII).strip());
        assertTrue(new String(b, StandardCharsets.ISO_8859_1).contains(KEY), "user-data is on the volume");
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the ISO is left");
        }
    }
}
