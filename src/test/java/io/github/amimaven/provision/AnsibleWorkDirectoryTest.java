package io.github.amimaven.provision;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;

/** The private files of an Ansible step leave with the step, however it ends. */
class AnsibleWorkDirectoryTest {

    private static final SshTarget TARGET = new SshTarget("203.0.113.9", 2222, "centos",
            "-----BEGIN RSA PRIVATE KEY-----\nWORKDIRKEYMATERIAL\n-----END RSA PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII));

    /** A variable no writer can turn into text: preparing the run fails after the key was written. */
    public static final class Unwritable {
        public String getValue() {
            throw new IllegalStateException("cannot be written");
        }

        @Override
        public String toString() {
            throw new IllegalStateException("cannot be written");
        }
    }

    @Test
    void aPrepareThatFailsAfterWritingTheKeyLeavesNoFileBehind(@TempDir Path dir) {
        Path workDir = dir.resolve("target/ami-work/b1/web-1");
        AnsibleProvisioner p = new AnsibleProvisioner(new AnsibleProvisioner.Options().playbook(dir.resolve("site.yml"))
                .extraVars(Map.of("unwritable", new Unwritable())), (command, env, directory, output) -> {
                    throw new AssertionError("nothing runs when the files cannot be written");
                });
        assertThrows(Exception.class, () -> p.provision(
                new ProvisionContext(null, CollectingLog.quiet(), "b1-web-1", TARGET, workDir, null)));
        assertFalse(Files.exists(workDir), "the key written before the failure is deleted with its directory");
    }
}
