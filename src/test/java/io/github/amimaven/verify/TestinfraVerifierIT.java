package io.github.amimaven.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.verify.CheckResult.Status;

/** Real pytest + testinfra from this machine, through the OpenSSH client to the test sshd. */
class TestinfraVerifierIT {

    private static TestMachine machine;
    private static List<String> python;

    @BeforeAll
    static void start() throws Exception {
        python = RequiredTool.testinfra();
        machine = TestMachine.start("127.0.0.43", "testinfrait");
    }

    @AfterAll
    static void stop() throws Exception {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void runsTestsOverSshAndParsesTheJUnitReport() throws Exception {
        Path motd = machine.file("motd", "Welcome to the candidate image\n", "rw-r--r--");
        Path tests = Files.createDirectories(machine.base.resolve("project/src/test/testinfra"));
        Files.writeString(tests.resolve("test_image.py"), """
                import pytest

                MOTD = "%1$s"


                def test_motd_exists(host):
                    f = host.file(MOTD)
                    assert f.is_file
                    assert f.contains("Welcome")
                    assert f.mode == 0o644


                def test_motd_is_private(host):
                    assert host.file(MOTD).mode == 0o600


                def test_logged_in_as_test_account(host):
                    assert host.check_output("id -un") == "%2$s"


                @pytest.mark.skip(reason="not in this image")
                def test_auditd(host):
                    assert host.service("auditd").is_running


                def test_sshd_listens(host):
                    assert host.socket("tcp://127.0.0.43:%3$d").is_listening
                """.formatted(motd, machine.sshd.user(), machine.sshd.port()));
        TestinfraVerifier verifier = new TestinfraVerifier(python, "src/test/testinfra", tests, false);

        long start = System.nanoTime();
        VerifierReport report = verifier.verify(machine.context("web"));
        System.out.printf("testinfra run: %.1f s%n", (System.nanoTime() - start) / 1e9);

        String host = "[ssh://127.0.0.43]";
        Map<String, CheckResult> r = report.results().stream()
                .collect(Collectors.toMap(CheckResult::id, Function.identity()));
        assertEquals(5, report.total(), r.keySet()::toString);
        assertEquals(Status.PASSED, r.get("test_motd_exists" + host).status(), () -> r.get("test_motd_exists" + host).message());
        assertEquals(Status.PASSED, r.get("test_logged_in_as_test_account" + host).status());
        assertEquals(Status.PASSED, r.get("test_sshd_listens" + host).status(), () -> r.get("test_sshd_listens" + host).message());
        CheckResult privateMotd = r.get("test_motd_is_private" + host);
        assertEquals(Status.FAILED, privateMotd.status());
        assertTrue(privateMotd.message().contains("assert 420 == 384"), privateMotd.message());
        assertEquals("test_image", privateMotd.suite());
        CheckResult auditd = r.get("test_auditd" + host);
        assertEquals(Status.SKIPPED, auditd.status());
        assertTrue(auditd.message().contains("not in this image"), auditd.message());
        assertTrue(Files.isRegularFile(report.rawReport()));
        assertFalse(Files.exists(machine.base.resolve("work/web/testinfra-id")), "the key file is deleted");
        assertTrue(machine.log.lines().stream().anyMatch(l -> l.matches(".*1 failed, 3 passed, 1 skipped.*")),
                machine.log.text());
    }

    @Test
    void noTestsCollectedIsAVerifyException() throws Exception {
        Path empty = Files.createDirectories(machine.base.resolve("empty"));
        TestinfraVerifier v = new TestinfraVerifier(python, "empty", empty, false);
        VerifyException e = assertThrows(VerifyException.class, () -> v.verify(machine.context("empty")));
        assertTrue(e.getMessage().contains("collected no tests"), e.getMessage());
    }
}
