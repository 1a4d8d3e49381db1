package io.github.amimaven.provision;

import io.github.amimaven.verify.Command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.amimaven.testing.ScriptedSsh;

/** PowerShell and windows-restart: command generation only (no Windows machine here). */
class WindowsProvisionersTest {

    @Test
    void powershellRunsTheLauncherFileWithTheExecutionPolicyAndNoValues() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOKEN", "it's s3cret");
        env.put("LEVEL", "high");
        PowerShellProvisioner p = new PowerShellProvisioner("inline", new byte[0], env, null, false, Set.of(0), null);
        String command = p.command("C:/Windows/Temp/ami-x-run.ps1");
        assertTrue(command.startsWith("powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "), command);
        assertEquals("& 'C:/Windows/Temp/ami-x-run.ps1'; exit $LASTEXITCODE", ScriptedSsh.decode(command));
        PowerShellProvisioner signed = new PowerShellProvisioner("inline", new byte[0], env, "RemoteSigned", false, Set.of(0), null);
        assertTrue(signed.command("C:/t/run.ps1").startsWith("powershell -NoProfile -NonInteractive -ExecutionPolicy RemoteSigned "
                + "-EncodedCommand "));
        assertFalse(p.command("C:/t/run.ps1").contains("s3cret"));
    }

    @Test
    void theLauncherSetsTheEnvironmentDeletesItselfAndExitsWithTheScriptsStatus() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOKEN", "it's s3cret \u2019x");
        PowerShellProvisioner p = new PowerShellProvisioner("inline", new byte[0], env, null, false, Set.of(0), null);
        String launcher = new String(p.launcher("C:/T/run.ps1", "C:/T/s.ps1"), StandardCharsets.UTF_8);
        assertTrue(launcher.startsWith("$ProgressPreference = 'SilentlyContinue'\r\n"
                + "$env:TOKEN = 'it''s s3cret \u2019\u2019x'\r\n"
                + "Remove-Item -LiteralPath 'C:/T/run.ps1' -Force -ErrorAction SilentlyContinue\r\n"), launcher);
        assertTrue(launcher.contains("  & 'C:/T/s.ps1'\r\n"), launcher);
        assertTrue(launcher.contains("Remove-Item -LiteralPath 'C:/T/s.ps1'"), launcher);
        assertTrue(launcher.endsWith("exit $rc\r\n"), launcher);
    }

    @Test
    void elevatedRunsTheLauncherAsAScheduledTaskWithTheHighestPrivileges() {
        PowerShellProvisioner p = new PowerShellProvisioner("inline", new byte[0], Map.of(), null, true, Set.of(0), null);
        assertEquals("powershell inline (elevated)", p.describe());
        String wrapper = new String(p.elevatedWrapper("C:/T/e.ps1", "C:/T/run.ps1", "C:/T/x.log", "ami-x"), StandardCharsets.UTF_8);
        assertTrue(wrapper.contains("-RunLevel Highest"), wrapper);
        String argument = wrapper.replaceAll("(?s).*New-ScheduledTaskAction -Execute 'powershell.exe' -Argument '([^']+)'.*", "$1");
        assertTrue(argument.startsWith("-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "), wrapper);
        assertEquals("& 'C:/T/run.ps1' *> 'C:/T/x.log'; exit $LASTEXITCODE", ScriptedSsh.decode(argument));
        assertTrue(wrapper.contains("Unregister-ScheduledTask -TaskName $name -Confirm:$false"), wrapper);
        assertTrue(wrapper.endsWith("exit $rc\r\n"), wrapper);
    }

    @Test
    void inlinePowershellStopsAtTheFirstError() {
        assertEquals("$ErrorActionPreference = 'Stop'\r\nWrite-Host a\r\n",
                new String(PowerShellProvisioner.inlineScript(List.of("Write-Host a")), StandardCharsets.UTF_8));
    }

    @Test
    void rebootCommands() {
        assertEquals("shutdown /r /t 5 /f /d p:4:1 /c \"ami-maven-plugin\"",
                new RebootProvisioner(RebootProvisioner.Mode.WINDOWS_RESTART, null, null).command());
        assertEquals("sudo sh -c '(sleep 1; shutdown -r now) >/dev/null 2>&1 &'",
                new RebootProvisioner(RebootProvisioner.Mode.LINUX, null, null).command());
        assertEquals("sudo systemctl reboot", new RebootProvisioner(null, "sudo systemctl reboot", null).command());
        assertEquals(Duration.ofMinutes(5), new RebootProvisioner(null, null, null).timeout());
        assertEquals("reboot (windows-restart) (timeout 300 s)",
                new RebootProvisioner(RebootProvisioner.Mode.WINDOWS_RESTART, null, null).describe());
    }
}
