package io.github.amimaven.steps;

import io.github.amimaven.provision.PowerShellProvisioner;

/**
 * What the plugin runs on EC2 Windows machines: the default user data that gives the build SSH, the readiness
 * probe, and the EC2Launch v2 sysprep that generalises the builder before the capture. None of it can run here (no
 * Windows machine); the unit tests pin what is generated.
 */
public final class WindowsScripts {

    /** The Windows account the default user data authorises the build's key for. */
    public static final String ADMINISTRATOR = "Administrator";

    /** EC2Launch v2's command line, as AWS documents it for Windows Sysprep. */
    static final String EC2LAUNCH_SYSPREP = "sysprep --shutdown=true";

    private WindowsScripts() {
    }

    /**
     * EC2Launch v2 user data (a {@code <powershell>} script, run on every boot because of {@code <persist>}, so that
     * a test instance launched from a non-generalised image is set up too) that:
     * <ol>
     * <li>installs the OpenSSH server Windows capability when the {@code sshd} service is missing;</li>
     * <li>fetches the instance's key pair public key from the instance metadata service with an IMDSv2 token
     * (retrying while the network comes up);</li>
     * <li>writes it to {@code C:\ProgramData\ssh\administrators_authorized_keys} (the file Windows' sshd reads for
     * members of Administrators) with the ACL sshd insists on: only Administrators and SYSTEM, nothing inherited
     * (well-known SIDs, so it works in every display language);</li>
     * <li>sets {@code sshd} to start automatically, starts it, moves it to {@code port} if that is not 22, and
     * admits the port in Windows Firewall.</li>
     * </ol>
     * The key is written before sshd first starts, so the first SSH login that succeeds finds everything ready.
     */
    public static String defaultUserData(int port) {
        StringBuilder b = new StringBuilder();
        b.append("<powershell>\r\n");
        b.append("# ami-maven-plugin: the OpenSSH server for the build, authorising the instance's key pair\r\n");
        b.append("$ErrorActionPreference = 'Stop'\r\n");
        b.append("$ProgressPreference = 'SilentlyContinue'\r\n");
        b.append("if (-not (Get-Service -Name sshd -ErrorAction SilentlyContinue)) {\r\n");
        b.append("  $capability = Get-WindowsCapability -Online | Where-Object { $_.Name -like 'OpenSSH.Server~~~~*' }"
                + " | Select-Object -First 1\r\n");
        b.append("  if ($null -eq $capability) { throw 'no OpenSSH.Server capability: use Windows Server 2019 or later' }\r\n");
        b.append("  Add-WindowsCapability -Online -Name $capability.Name | Out-Null\r\n");
        b.append("}\r\n");
        b.append("$imds = 'http://169.254.169.254/latest'\r\n");
        b.append("$key = $null\r\n");
        b.append("for ($attempt = 1; $attempt -le 60 -and -not $key; $attempt++) {\r\n");
        b.append("  try {\r\n");
        b.append("    $token = Invoke-RestMethod -Method Put -Uri \"$imds/api/token\""
                + " -Headers @{ 'X-aws-ec2-metadata-token-ttl-seconds' = '300' }\r\n");
        b.append("    $key = Invoke-RestMethod -Uri \"$imds/meta-data/public-keys/0/openssh-key\""
                + " -Headers @{ 'X-aws-ec2-metadata-token' = $token }\r\n");
        b.append("  } catch {\r\n");
        b.append("    Start-Sleep -Seconds 5\r\n");
        b.append("  }\r\n");
        b.append("}\r\n");
        b.append("if (-not $key) { throw 'the instance metadata has no public key: launch the instance with a key pair' }\r\n");
        b.append("$sshDir = Join-Path $env:ProgramData 'ssh'\r\n");
        b.append("New-Item -ItemType Directory -Force -Path $sshDir | Out-Null\r\n");
        b.append("$keys = Join-Path $sshDir 'administrators_authorized_keys'\r\n");
        b.append("Set-Content -Path $keys -Value $key.Trim() -Encoding ascii\r\n");
        b.append("icacls.exe $keys /inheritance:r /grant '*S-1-5-32-544:F' /grant '*S-1-5-18:F' | Out-Null\r\n");
        b.append("if ($LASTEXITCODE -ne 0) { throw \"icacls could not restrict $keys (exit $LASTEXITCODE)\" }\r\n");
        b.append("Set-Service -Name sshd -StartupType Automatic\r\n");
        b.append("Start-Service -Name sshd\r\n");
        if (port != 22) {
            // sshd writes its sshd_config on first start: only then can the port be set, before any Match block
            b.append("$config = Join-Path $sshDir 'sshd_config'\r\n");
            b.append("$lines = @(Get-Content -Path $config | Where-Object { $_ -notmatch '^\\s*#?\\s*Port\\s' })\r\n");
            b.append("Set-Content -Path $config -Value (@('Port ").append(port).append("') + $lines) -Encoding ascii\r\n");
            b.append("Restart-Service -Name sshd\r\n");
        }
        b.append("if (-not (Get-NetFirewallRule -Name 'ami-maven-plugin-sshd' -ErrorAction SilentlyContinue)) {\r\n");
        b.append("  New-NetFirewallRule -Name 'ami-maven-plugin-sshd' -DisplayName 'OpenSSH Server (ami-maven-plugin)'"
                + " -Direction Inbound -Protocol TCP -LocalPort ").append(port).append(" -Action Allow | Out-Null\r\n");
        b.append("}\r\n");
        b.append("</powershell>\r\n");
        b.append("<persist>true</persist>\r\n");
        return b.toString();
    }

    /** Proves that PowerShell runs over the SSH session and prints its version. */
    static String readinessProbe() {
        return PowerShellProvisioner.encodedCommand("$PSVersionTable.PSVersion.ToString()");
    }

    /**
     * Removes the build's temporary key from {@code administrators_authorized_keys} (its private half is deleted
     * with the key pair, but it has no place in an image), then runs EC2Launch v2's sysprep, which generalises
     * Windows and shuts the machine down; the SSH session drops on the way. Exit 3: EC2Launch v2 is not installed.
     *
     * @param buildPublicKey the build's temporary public key ({@code ssh-rsa AAAA… comment}), or null when the build
     *                       uses the user's own key pair, which stays
     */
    static String sysprep(String buildPublicKey) {
        StringBuilder b = new StringBuilder();
        b.append("$ErrorActionPreference = 'Stop'\r\n");
        b.append("$ec2launch = Join-Path $env:ProgramFiles 'Amazon\\EC2Launch\\EC2Launch.exe'\r\n");
        b.append("if (-not (Test-Path -LiteralPath $ec2launch)) {\r\n");
        b.append("  Write-Output \"EC2Launch v2 is not installed ($ec2launch): start from an AWS Windows Server image"
                + " that has it, or set <windows><sysprep>false</sysprep></windows>\"\r\n");
        b.append("  exit 3\r\n");
        b.append("}\r\n");
        String blob = keyBlob(buildPublicKey);
        if (blob != null) {
            b.append("$keys = Join-Path $env:ProgramData 'ssh\\administrators_authorized_keys'\r\n");
            b.append("if (Test-Path -LiteralPath $keys) {\r\n");
            b.append("  $kept = @(Get-Content -LiteralPath $keys | Where-Object { -not $_.Contains('")
                    .append(blob).append("') })\r\n");
            // Set-Content rewrites the file in place, keeping the ACL sshd insists on
            b.append("  Set-Content -LiteralPath $keys -Value $kept -Encoding ascii\r\n");
            b.append("}\r\n");
        }
        b.append("Write-Output 'running EC2Launch v2 sysprep: Windows is generalised, then the machine shuts down'\r\n");
        b.append("& $ec2launch ").append(EC2LAUNCH_SYSPREP).append("\r\n");
        b.append("exit $LASTEXITCODE\r\n");
        return b.toString();
    }

    /** The base64 key blob of an OpenSSH public key line: what identifies the key whatever its comment. */
    private static String keyBlob(String publicKeyLine) {
        if (publicKeyLine == null) {
            return null;
        }
        String[] fields = publicKeyLine.strip().split("\\s+");
        return fields.length >= 2 && fields[1].matches("[A-Za-z0-9+/=]+") ? fields[1] : null;
    }
}
