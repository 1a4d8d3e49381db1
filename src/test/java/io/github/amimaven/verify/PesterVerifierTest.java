package io.github.amimaven.verify;

import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ScriptedSsh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.remote.SshTarget;

/** Pester's remote command, and a run against a scripted session that returns a genuine NUnit result file. */
class PesterVerifierTest {

    @TempDir
    Path dir;

    @Test
    void commandConfiguresPester5Encoded() {
        PesterVerifier v = new PesterVerifier(null, "src/test/pester", dir, PesterVerifier.Format.NUNIT_XML);
        String command = v.command("ami-pester-1/tests", "ami-pester-1/results.xml");
        assertTrue(command.matches("powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+"),
                command);
        assertEquals("$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'; "
                + "Import-Module Pester -MinimumVersion 5.0.0; $c = New-PesterConfiguration; "
                + "$c.Run.Path = 'ami-pester-1/tests'; $c.Run.Exit = $false; $c.Output.Verbosity = 'Detailed'; "
                + "$c.Output.CIFormat = 'None'; $c.TestResult.Enabled = $true; $c.TestResult.OutputFormat = 'NUnitXml'; "
                + "$c.TestResult.OutputPath = 'ami-pester-1/results.xml'; Invoke-Pester -Configuration $c; exit 0",
                ScriptedSsh.decode(command));
        String junit = new PesterVerifier("pwsh", "t", dir, PesterVerifier.Format.JUNIT_XML).command("a", "b");
        assertTrue(junit.startsWith("pwsh -NoProfile") && ScriptedSsh.decode(junit).contains("OutputFormat = 'JUnitXml'"),
                junit);
    }

    @Test
    void aHostileTestFileNameStaysAQuotedStringOffTheCommandLine() {
        String hostile = "a\" & whoami & \"'$(whoami)`;\n'\u2019.Tests.ps1";
        String command = new PesterVerifier(null, "t", dir, null).command("w/" + hostile, "w/results.xml");
        assertTrue(command.matches("[A-Za-z0-9 +/=-]+"), command);
        assertTrue(ScriptedSsh.decode(command).contains("$c.Run.Path = 'w/a\" & whoami & \"''$(whoami)`;\n''\u2019\u2019.Tests.ps1';"),
                ScriptedSsh.decode(command));
    }

    @Test
    void uploadsRunsFetchesParsesAndCleansUp() throws Exception {
        Path tests = Files.createDirectories(dir.resolve("src/test/pester"));
        byte[] nunit = Files.readAllBytes(ReportParsersTest.sample("pester-nunit.xml"));
        ScriptedSsh[] self = new ScriptedSsh[1];
        ScriptedSsh session = new ScriptedSsh(command -> {
            if (!command.contains("Invoke-Pester")) {
                return new ScriptedSsh.Reply(0, "", "");
            }
            // Pester writes its result file where the configuration says
            self[0].files.put(command.replaceAll(".*OutputPath = '([^']+)'.*", "$1"), nunit);
            return new ScriptedSsh.Reply(0, "Describing Windows baseline\n  [-] disables SMBv1 204ms\n", "");
        });
        self[0] = session;
        CollectingLog log = new CollectingLog();
        SshTarget target = new SshTarget("127.0.0.9", 22, "Administrator", "k".getBytes(StandardCharsets.US_ASCII));
        VerifierReport report = new PesterVerifier(null, "src/test/pester", tests, null)
                .verify(new VerifyContext(session, target, dir.resolve("work"), log, "win"));
        assertEquals(6, report.total());
        assertEquals(1, report.failures());
        assertEquals(2, report.skipped());
        assertEquals("pester src/test/pester", report.verifier());
        assertTrue(Files.exists(report.rawReport()));
        assertEquals(1, session.uploads.size());
        assertTrue(session.uploads.get(0).matches(".*src/test/pester -> ami-pester-[0-9a-f]{8}/tests"), session.uploads.get(0));
        assertEquals(2, session.commands.size());
        assertTrue(session.commands.get(1).contains("Remove-Item -Recurse -Force"), session.commands.get(1));
        assertTrue(log.lines().contains("INFO   [-] disables SMBv1 204ms"), log.text());
    }

    @Test
    void pesterMissingIsAVerifyExceptionAndStillCleansUp() throws Exception {
        ScriptedSsh session = new ScriptedSsh(command -> command.contains("Invoke-Pester")
                ? new ScriptedSsh.Reply(1, "", "Import-Module : The specified module 'Pester' was not loaded")
                : new ScriptedSsh.Reply(0, "", ""));
        PesterVerifier v = new PesterVerifier(null, "t.Tests.ps1", Files.writeString(dir.resolve("t.Tests.ps1"), "x"), null);
        VerifyContext ctx = new VerifyContext(session, new SshTarget("h", 22, "u", new byte[] {1}), dir, new CollectingLog(), "w");
        VerifyException e = assertThrows(VerifyException.class, () -> v.verify(ctx));
        assertTrue(e.getMessage().contains("exited with 1") && e.getMessage().contains("Pester 5"), e.getMessage());
        assertTrue(session.uploads.get(0).endsWith("/t.Tests.ps1"), session.uploads.get(0));
        assertTrue(session.commands.get(session.commands.size() - 1).contains("Remove-Item"));
    }

}
