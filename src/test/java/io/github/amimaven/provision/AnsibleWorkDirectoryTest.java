package io.github.amimaven.provision;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;

/** The private files of an Ansible step leave with the step, however it ends. */
class AnsibleWorkDirectoryTest {

    private static final SshTarget TARGET = new SshTarget("203.0.113.9", 2222, "centos",
            "-----BEGIN RSA PRIVATE KEY-----\nWORKDIRKEYMATERIAL\n-----END RSA PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII));

    /** Host keys that cannot be read: preparing the run fails after the key was written. */
    private static final List<KnownHost> UNREADABLE = new AbstractList<>() {
        @Override
        public KnownHost get(int index) {
            throw new IllegalStateException("cannot be read");
        }

        @Override
        public int size() {
            return 1;
        }
    };

    @Test
    void aPrepareThatFailsAfterWritingTheKeyLeavesNoFileBehind(@TempDir Path dir) {
        Path workDir = dir.resolve("target/ami-work/b1/web-1");
        SshSession session = (SshSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {SshSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("hostKeys")) {
                        return UNREADABLE;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        AnsibleProvisioner p = new AnsibleProvisioner(new AnsibleProvisioner.Options().playbook(dir.resolve("site.yml"))
                .extraVars(Map.of("name", "value")), (command, env, directory, output) -> {
                    throw new AssertionError("nothing runs when the files cannot be written");
                });
        assertThrows(Exception.class, () -> p.provision(
                new ProvisionContext(session, CollectingLog.quiet(), "b1-web-1", TARGET, workDir, null)));
        assertFalse(Files.exists(workDir), "the key written before the failure is deleted with its directory");
    }
}
