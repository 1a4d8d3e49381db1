package io.github.amimaven.provision;

import io.github.amimaven.verify.Command;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.amimaven.remote.PowerShellCommands;
import io.github.amimaven.remote.SshException;

import static io.github.amimaven.remote.PowerShellCommands.quote;

/**
 * Runs a PowerShell script on a Windows machine over OpenSSH. The script is uploaded by SFTP; a generated
 * launcher sets the environment variables, deletes itself (it holds the values), runs the script, deletes it and
 * exits with its status, so no value appears on a command line. With {@code elevated}, the launcher runs as a
 * scheduled task with the highest privileges of the login user (OpenSSH sessions of administrators may run with a
 * filtered token), and its output is printed when it finishes.
 */
public final class PowerShellProvisioner implements Provisioner {

    public static final String DEFAULT_EXECUTION_POLICY = "Bypass";
    public static final String DEFAULT_REMOTE_DIRECTORY = "C:/Windows/Temp";

    private final String label;
    private final byte[] script;
    private final Map<String, String> environment;
    private final String executionPolicy;
    private final boolean elevated;
    private final Set<Integer> validExitCodes;
    private final String remoteDirectory;

    public PowerShellProvisioner(String label, byte[] script, Map<String, String> environment, String executionPolicy,
            boolean elevated, Set<Integer> validExitCodes, String remoteDirectory) {
        this.label = label;
        this.script = script.clone();
        this.environment = new LinkedHashMap<>(environment);
        this.executionPolicy = executionPolicy == null ? DEFAULT_EXECUTION_POLICY : executionPolicy;
        this.elevated = elevated;
        this.validExitCodes = new TreeSet<>(validExitCodes);
        this.remoteDirectory = remoteDirectory == null ? DEFAULT_REMOTE_DIRECTORY : remoteDirectory;
    }

    /** An inline script: the lines, stopping at the first error like {@code sh -e}. */
    public static byte[] inlineScript(Iterable<String> lines) {
        StringBuilder b = new StringBuilder("$ErrorActionPreference = 'Stop'\r\n");
        for (String line : lines) {
            b.append(line).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
        return "powershell " + label + (elevated ? " (elevated)" : "");
    }

    @Override
    public void provision(ProvisionContext context) throws ProvisionException, InterruptedException {
        String base = remoteDirectory + "/ami-" + context.workId();
        String scriptPath = base + ".ps1";
        String launcherPath = base + "-run.ps1";
        String elevatedPath = base + "-elevated.ps1";
        int exit;
        try {
            context.session().write(script, scriptPath, 0600);
            context.session().write(launcher(launcherPath, scriptPath, context.buildEnvironment()), launcherPath, 0600);
            String run = launcherPath;
            if (elevated) {
                context.session().write(elevatedWrapper(elevatedPath, launcherPath, base + ".log", "ami-" + context.workId()),
                        elevatedPath, 0600);
                run = elevatedPath;
            }
            exit = context.session().exec(command(run), null, context.log()::info, context.log()::info);
        } catch (SshException e) {
            throw new ProvisionException(describe() + " could not run: " + e.getMessage(), e);
        }
        if (!validExitCodes.contains(exit)) {
            throw new ProvisionException(describe() + " exited with " + exit + " (accepted: " + validExitCodes
                    + "); its output is above. If " + exit + " means success, add it to <validExitCodes>");
        }
    }

    /** The remote command: runs the launcher, whose path travels encoded, and exits with its status; never a value. */
    String command(String path) {
        return PowerShellCommands.encoded("powershell", executionPolicy, "& " + quote(path) + "; exit $LASTEXITCODE");
    }

    /** Sets the environment, deletes itself, runs the script, deletes it, exits with its status. */
    byte[] launcher(String launcherPath, String scriptPath) {
        return launcher(launcherPath, scriptPath, Map.of());
    }

    /** The same, with the values the build hands over too (the step's own {@code <env>} wins on a clash). */
    byte[] launcher(String launcherPath, String scriptPath, Map<String, String> buildEnvironment) {
        Map<String, String> all = new LinkedHashMap<>(buildEnvironment);
        all.putAll(environment);
        StringBuilder b = new StringBuilder();
        b.append("$ProgressPreference = 'SilentlyContinue'\r\n");
        all.forEach((k, v) -> b.append("$env:").append(k).append(" = ").append(quote(v)).append("\r\n"));
        b.append("Remove-Item -LiteralPath ").append(quote(launcherPath)).append(" -Force -ErrorAction SilentlyContinue\r\n");
        b.append("$global:LASTEXITCODE = 0\r\n");
        b.append("$rc = 0\r\n");
        b.append("try {\r\n");
        b.append("  & ").append(quote(scriptPath)).append("\r\n");
        b.append("  if (-not $?) { $rc = 1 }\r\n");
        b.append("  if ($LASTEXITCODE -ne 0) { $rc = $LASTEXITCODE }\r\n");
        b.append("} catch {\r\n");
        b.append("  Write-Error $_ -ErrorAction Continue\r\n");
        b.append("  $rc = 1\r\n");
        b.append("} finally {\r\n");
        b.append("  Remove-Item -LiteralPath ").append(quote(scriptPath)).append(" -Force -ErrorAction SilentlyContinue\r\n");
        b.append("}\r\n");
        b.append("exit $rc\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Runs the launcher as a scheduled task with the highest privileges, waits, prints its output. */
    byte[] elevatedWrapper(String wrapperPath, String launcherPath, String logPath, String taskName) {
        String argument = PowerShellCommands.arguments(executionPolicy,
                "& " + quote(launcherPath) + " *> " + quote(logPath) + "; exit $LASTEXITCODE");
        String b = "$ErrorActionPreference = 'Stop'\r\n"
                + "$ProgressPreference = 'SilentlyContinue'\r\n"
                + "Remove-Item -LiteralPath " + quote(wrapperPath) + " -Force -ErrorAction SilentlyContinue\r\n"
                + "$name = " + quote(taskName) + "\r\n"
                + "$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument " + quote(argument) + "\r\n"
                + "$principal = New-ScheduledTaskPrincipal -UserId $env:USERNAME -LogonType S4U -RunLevel Highest\r\n"
                + "Register-ScheduledTask -TaskName $name -Action $action -Principal $principal -Force | Out-Null\r\n"
                + "Start-ScheduledTask -TaskName $name\r\n"
                + "do { Start-Sleep -Seconds 1; $state = (Get-ScheduledTask -TaskName $name).State }"
                + " while ($state -eq 'Running' -or $state -eq 'Queued')\r\n"
                + "$rc = (Get-ScheduledTaskInfo -TaskName $name).LastTaskResult\r\n"
                + "if (Test-Path -LiteralPath " + quote(logPath) + ") { Get-Content -LiteralPath " + quote(logPath)
                + "; Remove-Item -LiteralPath " + quote(logPath) + " -Force }\r\n"
                + "Unregister-ScheduledTask -TaskName $name -Confirm:$false\r\n"
                + "exit $rc\r\n";
        return b.getBytes(StandardCharsets.UTF_8);
    }

    /** A command line that runs {@code script} with Windows PowerShell: see {@link PowerShellCommands#encoded}. */
    public static String encodedCommand(String script) {
        return PowerShellCommands.encoded("powershell", DEFAULT_EXECUTION_POLICY, script);
    }
}
