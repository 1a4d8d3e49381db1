package io.github.amimaven.verify;

import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ScriptedSsh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.verify.CheckResult.Status;
import io.github.amimaven.verify.CommandVerifier.FileCheck;
import io.github.amimaven.verify.CommandVerifier.PackageInstalled;
import io.github.amimaven.verify.CommandVerifier.Port;
import io.github.amimaven.verify.CommandVerifier.Run;
import io.github.amimaven.verify.CommandVerifier.Service;

/** The messages of each assertion, expected against actual, with a scripted machine. */
class CommandVerifierTest {

    private static final String SS = """
            LISTEN 0      128          0.0.0.0:22        0.0.0.0:*
            LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*
            LISTEN 0      128             [::]:22           [::]:*
            LISTEN 0      511                *:8080            *:*
            """;

    private final ScriptedSsh machine = new ScriptedSsh(c -> {
        if (c.equals("sshd -t")) {
            return new ScriptedSsh.Reply(0, "", "");
        }
        if (c.equals("cat /etc/os-release")) {
            return new ScriptedSsh.Reply(0, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n", "");
        }
        if (c.equals("false")) {
            return new ScriptedSsh.Reply(1, "", "something <bad> & \"quoted\"");
        }
        if (c.startsWith("stat -c '%F|%a|%U|%u' -- '/etc/motd'")) {
            return new ScriptedSsh.Reply(0, "regular file|644|root|0\n", "");
        }
        if (c.startsWith("stat -c '%F|%a|%U|%u' -- '/etc/ssh'")) {
            return new ScriptedSsh.Reply(0, "directory|755|root|0\n", "");
        }
        if (c.startsWith("stat ")) {
            return new ScriptedSsh.Reply(1, "", "stat: cannot statx '/nope': No such file or directory");
        }
        if (c.contains("dpkg-query") && c.contains("'openssh-server'")) {
            return new ScriptedSsh.Reply(0, "install ok installed 1:9.2p1-2+deb12u3\n", "");
        }
        if (c.contains("dpkg-query") && c.contains("'telnetd'")) {
            return new ScriptedSsh.Reply(0, "deinstall ok config-files 0.17+2.4-2\n", "");
        }
        if (c.contains("dpkg-query")) {
            return new ScriptedSsh.Reply(1, "", "dpkg-query: no packages found matching nginx");
        }
        if (c.equals("systemctl is-enabled -- 'ssh'")) {
            return new ScriptedSsh.Reply(0, "enabled\n", "");
        }
        if (c.equals("systemctl is-active -- 'ssh'")) {
            return new ScriptedSsh.Reply(0, "active\n", "");
        }
        if (c.equals("systemctl is-enabled -- 'cups'")) {
            return new ScriptedSsh.Reply(1, "disabled\n", "");
        }
        if (c.equals("systemctl is-active -- 'cups'")) {
            return new ScriptedSsh.Reply(3, "inactive\n", "");
        }
        if (c.equals("ss -Hltn")) {
            return new ScriptedSsh.Reply(0, SS, "");
        }
        return new ScriptedSsh.Reply(127, "", "sh: 1: " + c + ": not found");
    });

    private List<CheckResult> run(CommandVerifier.Check... checks) throws Exception {
        machine.file("/etc/motd", "Welcome to the image\nUnauthorized use prohibited\n");
        VerifyContext ctx = new VerifyContext(machine, new SshTarget("h", 22, "u", new byte[] {1}), Path.of("/tmp"),
                new CollectingLog(), "web");
        VerifierReport report = new CommandVerifier(List.of(checks)).verify(ctx);
        assertEquals(checks.length, report.total());
        return report.results();
    }

    private static CheckResult only(List<CheckResult> results) {
        assertEquals(1, results.size());
        return results.get(0);
    }

    @Test
    void commands() throws Exception {
        List<CheckResult> r = run(
                new Run("sshd -t", 0, null, null, false),
                new Run("cat /etc/os-release", 0, Pattern.compile("^ID=debian$", Pattern.MULTILINE), null, false),
                new Run("cat /etc/os-release", 0, Pattern.compile("^ID=rhel$", Pattern.MULTILINE), null, false),
                new Run("false", 0, null, Pattern.compile("nothing"), false),
                new Run("false", 1, null, Pattern.compile("<bad>"), false));
        assertEquals(List.of(Status.PASSED, Status.PASSED, Status.FAILED, Status.FAILED, Status.PASSED),
                r.stream().map(CheckResult::status).toList());
        assertEquals("command", r.get(0).suite());
        assertEquals("run sshd -t", r.get(0).id());
        assertEquals("stdout: expected to match /^ID=rhel$/, was 'PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\\nID=debian'",
                r.get(2).message());
        assertEquals("exit code: expected 0, was 1; stderr: expected to match /nothing/, was 'something <bad> & \"quoted\"'",
                r.get(3).message());
    }

    @Test
    void files() throws Exception {
        List<CheckResult> r = run(
                new FileCheck("/etc/motd", true, 0644, "root", Pattern.compile("Unauthorized")),
                new FileCheck("/etc/motd", true, 0600, "ubuntu", Pattern.compile("^Authorized", Pattern.MULTILINE)),
                new FileCheck("/nope", true, null, null, null),
                new FileCheck("/nope", false, null, null, null),
                new FileCheck("/etc/motd", false, null, null, null),
                new FileCheck("/etc/motd", true, null, "0", null),
                new FileCheck("/etc/ssh", true, null, null, Pattern.compile("x")));
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.FAILED, Status.PASSED, Status.FAILED, Status.PASSED,
                Status.FAILED), r.stream().map(CheckResult::status).toList());
        assertEquals("file /etc/motd", r.get(1).id());
        assertEquals("mode: expected 0600, was 0644; owner: expected ubuntu, was root (uid 0); content: expected to match "
                + "/^Authorized/, was 'Welcome to the image\\nUnauthorized use prohibited'", r.get(1).message());
        assertEquals("expected to exist, does not (stat: cannot statx '/nope': No such file or directory)", r.get(2).message());
        assertEquals("expected not to exist, but it does", r.get(4).message());
        assertEquals("content: expected a regular file, was a directory", r.get(6).message());
    }

    @Test
    void packages() throws Exception {
        List<CheckResult> r = run(new PackageInstalled("openssh-server"), new PackageInstalled("nginx"),
                new PackageInstalled("telnetd"));
        assertEquals(Status.PASSED, r.get(0).status());
        assertEquals("package nginx", r.get(1).id());
        assertEquals("expected installed, was: dpkg-query: no packages found matching nginx", r.get(1).message());
        assertEquals("expected installed, was: deinstall ok config-files 0.17+2.4-2", r.get(2).message());
    }

    @Test
    void services() throws Exception {
        List<CheckResult> r = run(new Service("ssh", true, true), new Service("cups", true, true),
                new Service("cups", false, false), new Service("ssh", null, false));
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.PASSED, Status.FAILED),
                r.stream().map(CheckResult::status).toList());
        assertEquals("expected enabled, was: disabled; expected active, was: inactive", r.get(1).message());
        assertEquals("expected not active, was: active", r.get(3).message());
    }

    @Test
    void ports() throws Exception {
        List<CheckResult> r = run(new Port(22), new Port(8080), new Port(53), new Port(443));
        assertEquals(List.of(Status.PASSED, Status.PASSED, Status.PASSED, Status.FAILED),
                r.stream().map(CheckResult::status).toList());
        assertEquals("expected a TCP listener on port 443, found none", r.get(3).message());
        assertEquals(List.of(), CommandVerifier.listeningPorts(SS, 2));
    }

    @Test
    void aCheckThatCannotBeEvaluatedIsAnError() throws Exception {
        ScriptedSsh bare = new ScriptedSsh(c -> new ScriptedSsh.Reply(127, "",
                c.contains("dpkg-query") ? "neither dpkg-query nor rpm is installed" : "sh: ss: not found"));
        VerifyContext ctx = new VerifyContext(bare, new SshTarget("h", 22, "u", new byte[] {1}), Path.of("/tmp"),
                new CollectingLog(), "web");
        List<CheckResult> r = new CommandVerifier(List.of(new PackageInstalled("curl"), new Port(22))).verify(ctx).results();
        assertEquals(Status.ERROR, r.get(0).status());
        assertEquals("cannot check packages: neither dpkg-query nor rpm is installed", r.get(0).message());
        assertEquals(Status.ERROR, r.get(1).status());
        assertTrue(r.get(1).message().startsWith("cannot list listening ports: ss exited with 127"), r.get(1).message());
        assertEquals(CheckResult.Status.PASSED, only(run(new Port(22))).status());
    }
}
