package io.github.amimaven.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.github.amimaven.provision.PowerShellProvisioner;
import io.github.amimaven.testing.ScriptedSsh;

/** What runs on EC2 Windows machines, pinned: no Windows machine is available to run it here. */
class WindowsScriptsTest {

    static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7build+key/blob== ami-maven-plugin b1";

    @Test
    void defaultUserDataIsAPersistentEc2LaunchPowerShellScript() {
        String ud = WindowsScripts.defaultUserData(22);
        assertTrue(ud.startsWith("<powershell>\r\n"), ud);
        assertTrue(ud.endsWith("</powershell>\r\n<persist>true</persist>\r\n"), ud);
        assertTrue(ud.getBytes(StandardCharsets.UTF_8).length < 4 * 1024, "far below EC2's 16 KiB: " + ud.length());
        assertTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(ud), "plain ASCII whatever the code page");
        assertTrue(ud.contains("$ErrorActionPreference = 'Stop'"), ud);
    }

    @Test
    void theOpenSshServerIsInstalledOnlyWhenMissingAndStartsAutomatically() {
        String ud = WindowsScripts.defaultUserData(22);
        assertTrue(ud.contains("if (-not (Get-Service -Name sshd -ErrorAction SilentlyContinue)) {\r\n"), ud);
        assertTrue(ud.contains("Where-Object { $_.Name -like 'OpenSSH.Server~~~~*' }"), ud);
        assertTrue(ud.contains("Add-WindowsCapability -Online -Name $capability.Name"), ud);
        assertTrue(ud.contains("Set-Service -Name sshd -StartupType Automatic\r\nStart-Service -Name sshd\r\n"), ud);
        assertTrue(ud.contains("New-NetFirewallRule -Name 'ami-maven-plugin-sshd'"), ud);
        assertTrue(ud.contains("-Direction Inbound -Protocol TCP -LocalPort 22 -Action Allow"), ud);
        assertFalse(ud.contains("sshd_config"), "port 22 is sshd's own: its config stays untouched");
    }

    @Test
    void theKeyComesFromImdsV2WithATokenAndOnlyAdministratorsAndSystemMayReadIt() {
        String ud = WindowsScripts.defaultUserData(22);
        assertTrue(ud.contains("Invoke-RestMethod -Method Put -Uri \"$imds/api/token\" -Headers @{ "
                + "'X-aws-ec2-metadata-token-ttl-seconds' = '300' }"), ud);
        assertTrue(ud.contains("Invoke-RestMethod -Uri \"$imds/meta-data/public-keys/0/openssh-key\" -Headers @{ "
                + "'X-aws-ec2-metadata-token' = $token }"), ud);
        assertTrue(ud.contains("$imds = 'http://169.254.169.254/latest'"), ud);
        assertTrue(ud.contains("$keys = Join-Path $sshDir 'administrators_authorized_keys'"), ud);
        assertTrue(ud.contains("$sshDir = Join-Path $env:ProgramData 'ssh'"), ud);
        assertTrue(ud.contains("icacls.exe $keys /inheritance:r /grant '*S-1-5-32-544:F' /grant '*S-1-5-18:F'"), ud);
        assertTrue(ud.indexOf("Set-Content -Path $keys") < ud.indexOf("Start-Service -Name sshd"),
                "the key is in place before sshd first answers");
        assertTrue(ud.indexOf("icacls.exe") < ud.indexOf("Start-Service -Name sshd"), ud);
    }

    @Test
    void anotherPortIsSetInSshdConfigAndAdmittedByTheFirewall() {
        String ud = WindowsScripts.defaultUserData(2222);
        assertTrue(ud.contains("Set-Content -Path $config -Value (@('Port 2222') + $lines) -Encoding ascii\r\n"
                + "Restart-Service -Name sshd\r\n"), ud);
        assertTrue(ud.indexOf("Start-Service -Name sshd") < ud.indexOf("$config = Join-Path $sshDir 'sshd_config'"),
                "sshd writes its config on first start");
        assertTrue(ud.contains("-LocalPort 2222 -Action Allow"), ud);
    }

    @Test
    void sysprepRemovesTheBuildKeyThenRunsEc2LaunchV2AsDocumented() {
        String script = WindowsScripts.sysprep(KEY);
        assertTrue(script.contains("$ec2launch = Join-Path $env:ProgramFiles 'Amazon\\EC2Launch\\EC2Launch.exe'"), script);
        assertTrue(script.contains("Where-Object { -not $_.Contains('AAAAB3NzaC1yc2EAAAADAQABAAABgQC7build+key/blob==') }"),
                script);
        assertTrue(script.indexOf("administrators_authorized_keys") < script.indexOf("& $ec2launch"), script);
        assertTrue(script.endsWith("& $ec2launch sysprep --shutdown=true\r\nexit $LASTEXITCODE\r\n"), script);
        assertTrue(script.contains("exit 3"), "a missing EC2Launch v2 is told apart");
        String ownKey = WindowsScripts.sysprep(null);
        assertFalse(ownKey.contains("administrators_authorized_keys"), "the user's own key pair stays");
        assertTrue(ownKey.contains("& $ec2launch sysprep --shutdown=true"), ownKey);
    }

    @Test
    void encodedCommandsReachPowerShellUntouchedByEitherShell() {
        String script = "& \"$env:ProgramFiles\\x\" 'a b'; exit $LASTEXITCODE";
        String command = PowerShellProvisioner.encodedCommand(script);
        assertTrue(command.startsWith("powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand "), command);
        assertTrue(command.substring(command.lastIndexOf(' ') + 1).matches("[A-Za-z0-9+/=]+"), command);
        assertEquals(script, ScriptedSsh.decode(command));
        assertEquals("$PSVersionTable.PSVersion.ToString()", ScriptedSsh.decode(WindowsScripts.readinessProbe()));
    }
}
