package io.github.amimaven.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.github.amimaven.remote.PowerShellCommands;
import io.github.amimaven.remote.SshException;

import static io.github.amimaven.remote.PowerShellCommands.quote;

/**
 * Runs Pester 5 tests on a Windows machine over SSH. The tests (a local file or directory) are uploaded by SFTP
 * into a work directory relative to the login's home (where both SFTP and the remote shell start), run with
 * {@code powershell -NoProfile -NonInteractive -Command "…"} through {@code Invoke-Pester -Configuration}, and
 * the NUnit (or JUnit) XML result file is fetched by SFTP and parsed. The work directory is removed afterwards.
 */
public final class PesterVerifier implements Verifier {

    public static final String DEFAULT_EXECUTABLE = "powershell";

    /** Pester's {@code TestResult.OutputFormat} values this verifier reads. */
    public enum Format {
        NUNIT_XML("NUnitXml"), JUNIT_XML("JUnitXml");

        final String pester;

        Format(String pester) {
            this.pester = pester;
        }
    }

    private final String executable;
    private final String label;
    private final Path tests;
    private final Format format;

    /**
     * @param executable {@code powershell} (Windows PowerShell 5.1) or {@code pwsh} (PowerShell 7)
     * @param label      the tests' path as the POM gives it, for messages
     * @param tests      a {@code *.Tests.ps1} file or a directory of them on the build machine
     */
    public PesterVerifier(String executable, String label, Path tests, Format format) {
        this.executable = executable == null || executable.isBlank() ? DEFAULT_EXECUTABLE : executable;
        this.label = label;
        this.tests = tests;
        this.format = format == null ? Format.NUNIT_XML : format;
    }

    @Override
    public String describe() {
        return "pester " + label;
    }

    @Override
    public VerifierReport verify(VerifyContext ctx) throws VerifyException, InterruptedException {
        if (ctx.session() == null) {
            throw new VerifyException(describe() + " needs an SSH session to the machine");
        }
        String workDir = "ami-pester-" + UUID.randomUUID().toString().substring(0, 8);
        String remoteTests = workDir + "/" + (Files.isDirectory(tests) ? "tests" : tests.getFileName().toString());
        String remoteResult = workDir + "/results.xml";
        Path raw = ctx.workDir().resolve("pester-" + InspecVerifier.slug(label) + ".xml");
        try {
            ctx.session().upload(tests, remoteTests, null);
            int exit = ctx.session().exec(command(remoteTests, remoteResult), null, ctx.log()::info, ctx.log()::info);
            if (exit != 0) {
                throw new VerifyException(describe() + ": " + executable + " exited with " + exit
                        + " before Pester finished (is Pester 5 installed? Install-Module Pester -MinimumVersion 5.0);"
                        + " its output is above");
            }
            byte[] xml = ctx.session().read(remoteResult);
            Files.createDirectories(ctx.workDir());
            Files.write(raw, xml);
            return new VerifierReport(describe(), XmlReportParser.parse(xml, "Pester result " + remoteResult), raw);
        } catch (SshException e) {
            throw new VerifyException(describe() + " could not run: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new VerifyException(describe() + ": cannot write " + raw + ": " + e.getMessage(), e);
        } finally {
            cleanUp(ctx, workDir);
        }
    }

    private void cleanUp(VerifyContext ctx, String workDir) throws InterruptedException {
        try {
            ctx.session().exec(PowerShellCommands.encoded(executable, "Bypass",
                    "Remove-Item -Recurse -Force -ErrorAction SilentlyContinue -LiteralPath " + quote(workDir)),
                    null, ctx.log()::debug, ctx.log()::debug);
        } catch (SshException e) {
            ctx.log().warn("could not remove " + workDir + " on the machine: " + e.getMessage());
        }
    }

    /** The remote command, encoded: the tests' file name is the user's, and either shell could read into it. */
    String command(String remoteTests, String remoteResult) {
        String script = String.join("; ",
                "$ErrorActionPreference = 'Stop'",
                "$ProgressPreference = 'SilentlyContinue'",
                "Import-Module Pester -MinimumVersion 5.0.0",
                "$c = New-PesterConfiguration",
                "$c.Run.Path = " + quote(remoteTests),
                "$c.Run.Exit = $false",
                "$c.Output.Verbosity = 'Detailed'",
                "$c.Output.CIFormat = 'None'",
                "$c.TestResult.Enabled = $true",
                "$c.TestResult.OutputFormat = '" + format.pester + "'",
                "$c.TestResult.OutputPath = " + quote(remoteResult),
                "Invoke-Pester -Configuration $c",
                "exit 0");
        return PowerShellCommands.encoded(executable, "Bypass", script);
    }

    static Format format(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "nunitxml", "nunit", "nunit2.5" -> Format.NUNIT_XML;
            case "junitxml", "junit" -> Format.JUNIT_XML;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Pester's NUnit and JUnit files as {@link CheckResult}s. */
    public static List<CheckResult> parse(Path resultFile) throws VerifyException {
        return XmlReportParser.parse(resultFile);
    }
}
