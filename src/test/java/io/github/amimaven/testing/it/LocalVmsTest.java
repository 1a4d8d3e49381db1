package io.github.amimaven.testing.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.amimaven.process.ShortTemp;

class LocalVmsTest {

    @Test
    void theVmsAreThoseTheBuildsLogNames() {
        String log = """
                [INFO] vm-0a1b2c3d4e5f: QEMU (tcg) started from /base.qcow2, SSH on 127.0.0.1:40022, work dir /tmp/ami-local-1/vm-0a1b2c3d4e5f
                [INFO] [web] provisioned
                [INFO] vm-99aa88bb77cc: QEMU (kvm) started from /store/img.qcow2, SSH on 127.0.0.1:40023, work dir /tmp/ami-local-1/vm-99aa88bb77cc
                """;
        assertEquals(List.of(Path.of("/tmp/ami-local-1/vm-0a1b2c3d4e5f"), Path.of("/tmp/ami-local-1/vm-99aa88bb77cc")),
                LocalVms.launched(log));
        assertThrows(AssertionError.class, () -> LocalVms.launched("[INFO] BUILD FAILURE\n"));
    }

    /** A process naming a VM's directory, the directory and its work root are each left over until they are gone. */
    @Test
    void whatIsLeftOfAVmIsFoundUntilItIsGone() throws Exception {
        Path root = ShortTemp.createDirectory("ami-local-");
        Path vm = Files.createDirectory(root.resolve("vm-0a1b2c3d4e5f"));
        Process qemu = new ProcessBuilder("sh", "-c", "sleep 60; :", vm.resolve("disk.qcow2").toString()).start();
        try {
            List<String> left = LocalVms.leftovers(List.of(vm));
            assertTrue(left.stream().anyMatch(l -> l.startsWith("process " + qemu.pid() + ": ")), left.toString());
            assertTrue(left.contains("directory " + vm), left.toString());
            assertTrue(left.contains("work root " + root), left.toString());
        } finally {
            qemu.descendants().forEach(ProcessHandle::destroyForcibly);
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.delete(vm);
            Files.delete(root);
        }
        assertEquals(List.of(), LocalVms.leftovers(List.of(vm)));
    }

    @Test
    void aVmOutsideTheShortTempRootIsReported() {
        Path vm = Path.of("/var/lib/ami-local-1/vm-0a1b2c3d4e5f");
        assertEquals(List.of("work root /var/lib/ami-local-1 is not an ami-local-* directory under " + ShortTemp.root()),
                LocalVms.leftovers(List.of(vm)));
    }
}
