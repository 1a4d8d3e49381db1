package io.github.amimaven.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The environment is handed in, so CI=true and a PATH without the tool are tested without touching the process's. */
class RequiredToolTest {

    @TempDir
    Path bin;

    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private RequiredTool tools(Map<String, String> environment) {
        return new RequiredTool(environment, new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void underCiAMissingToolFailsTheTest() {
        RequiredTool tools = tools(Map.of("CI", "true", "PATH", bin.toString()));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> tools.onPath("packer", "packer"));
        assertEquals("packer is missing (apt-get install packer); CI=true: a test that needs it fails rather than skips",
                e.getMessage());
        assertEquals("", stderr(), "a failure says it in the test report, not as a warning");
    }

    @Test
    void underCiAMissingBaseImageFailsTheTest() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> tools(Map.of("CI", "TRUE"))
                .check(false, "the base image /nowhere/debian-12-base.qcow2", "scripts/make-base-image.sh makes it"));
        assertTrue(e.getMessage().startsWith("the base image /nowhere/debian-12-base.qcow2 is missing "
                + "(scripts/make-base-image.sh makes it)"), e.getMessage());
    }

    @Test
    void outsideCiAMissingToolSkipsTheTestWithAWarningNamingToolAndPackage() {
        for (Map<String, String> environment : new Map[] {Map.of("PATH", bin.toString()),
                Map.of("CI", "false", "PATH", bin.toString())}) {
            stderr.reset();
            TestAbortedException e = assertThrows(TestAbortedException.class,
                    () -> tools(environment).onPath("qemu-img", "qemu-utils"));
            assertEquals("skipped: qemu-img is missing (apt-get install qemu-utils)", e.getMessage());
            assertEquals("[WARN] skipping RequiredToolTest: qemu-img is missing (apt-get install qemu-utils); "
                    + "with CI=true this fails\n", stderr());
        }
    }

    @Test
    void aToolOnThePathIsFoundAndTheTestGoesOnSilently() throws Exception {
        Path tool = bin.resolve("ansible-playbook");
        Files.writeString(tool, "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path elsewhere = Files.createDirectory(bin.resolve("empty"));
        RequiredTool tools = tools(Map.of("CI", "true", "PATH", elsewhere + ":" + bin));
        assertEquals(tool, tools.onPath("ansible-playbook", "ansible"));
        tools.check(true, "anything", "apt-get install anything");
        assertEquals("", stderr());
    }

    @Test
    void aFileThatCannotBeExecutedIsNoTool() throws Exception {
        Files.writeString(bin.resolve("packer"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(bin.resolve("packer"), PosixFilePermissions.fromString("rw-r--r--"));
        RequiredTool tools = tools(Map.of("CI", "true", "PATH", bin.toString()));
        assertThrows(AssertionFailedError.class, () -> tools.onPath("packer", "packer"));
    }
}
