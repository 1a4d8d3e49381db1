package io.github.amimaven.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.verify.CheckResult.Status;
import io.github.amimaven.verify.CommandVerifier.FileCheck;
import io.github.amimaven.verify.CommandVerifier.PackageInstalled;
import io.github.amimaven.verify.CommandVerifier.Port;
import io.github.amimaven.verify.CommandVerifier.Run;
import io.github.amimaven.verify.CommandVerifier.Service;

/** Every kind of built-in assertion, passing and failing, against this host as the test sshd's account sees it. */
class CommandVerifierIT {

    private static TestMachine machine;

    @BeforeAll
    static void start() throws Exception {
        machine = TestMachine.start("127.0.0.41", "cmdverify");
    }

    @AfterAll
    static void stop() throws Exception {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void passingAndFailingAssertionsOfEveryKind() throws Exception {
        Path motd = machine.file("motd", "Welcome to the candidate image\nUnauthorized use prohibited\n", "rw-r--r--");
        String owner = Files.getOwner(motd).getName();
        String absent = machine.fixtures.resolve("absent").toString();
        int closedPort = TestMachine.freePort();
        List<CommandVerifier.Check> checks = List.of(
                new Run("echo hello; echo oops >&2; exit 3", 3, Pattern.compile("^hello$", Pattern.MULTILINE),
                        Pattern.compile("oops"), false),
                new Run("echo hello", 0, Pattern.compile("goodbye"), null, false),
                new Run("id -un", 0, Pattern.compile("^" + machine.sshd.user() + "$", Pattern.MULTILINE), null, true),
                new FileCheck(motd.toString(), true, 0644, owner, Pattern.compile("^Unauthorized", Pattern.MULTILINE)),
                new FileCheck(motd.toString(), true, 0600, "nobody", Pattern.compile("^Authorized", Pattern.MULTILINE)),
                new FileCheck(absent, false, null, null, null),
                new FileCheck(absent, true, null, null, null),
                new PackageInstalled("openssh-server"),
                new PackageInstalled("ami-no-such-package"),
                new Service("ami-no-such-unit", false, false),
                new Service("ami-no-such-unit", true, null),
                new Port(machine.sshd.port()),
                new Port(closedPort));

        VerifierReport report = new CommandVerifier(checks).verify(machine.context("web"));

        List<CheckResult> r = report.results();
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.PASSED, Status.PASSED, Status.FAILED, Status.PASSED,
                        Status.FAILED, Status.PASSED, Status.FAILED, Status.PASSED, Status.FAILED, Status.PASSED,
                        Status.FAILED),
                r.stream().map(CheckResult::status).toList(), () -> String.join("\n", r.stream().map(CheckResult::summary).toList()));
        assertEquals("stdout: expected to match /goodbye/, was 'hello'", r.get(1).message());
        assertTrue(r.get(4).message().startsWith("mode: expected 0600, was 0644; owner: expected nobody, was " + owner
                + " (uid "), r.get(4).message());
        assertTrue(r.get(4).message().endsWith("content: expected to match /^Authorized/, was "
                + "'Welcome to the candidate image\\nUnauthorized use prohibited'"), r.get(4).message());
        assertTrue(r.get(6).message().startsWith("expected to exist, does not (stat: cannot stat"), r.get(6).message());
        assertTrue(r.get(8).message().startsWith("expected installed, was: dpkg-query: no packages found matching"),
                r.get(8).message());
        assertTrue(r.get(10).message().startsWith("expected enabled, was: "), r.get(10).message());
        assertEquals("expected a TCP listener on port " + closedPort + ", found none", r.get(12).message());
        assertTrue(Files.readString(machine.sshd.workDir().resolve("sudo.log")).contains("sudo -n sh -c id -un"));
        assertTrue(machine.log.lines().stream().anyMatch(l -> l.equals("INFO [web] oops")), machine.log.text());
        assertTrue(machine.log.lines().stream().anyMatch(l -> l.startsWith("INFO [web] FAILED port " + closedPort)),
                machine.log.text());
    }
}
