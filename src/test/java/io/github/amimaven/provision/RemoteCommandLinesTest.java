package io.github.amimaven.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.testing.ScriptedSsh;
import io.github.amimaven.testing.HostileInput;

/**
 * The remote command lines the provisioners build, with hostile values where the POM puts any. No Windows machine
 * (nor pwsh) here: the PowerShell lines are checked as strings; the sh ones are run by the real sh.
 */
class RemoteCommandLinesTest {

    /** Quotes of both kinds, cmd's and PowerShell's operators, subshells, backticks, newlines. */
    static final List<String> HOSTILE = List.of("x\" & whoami & \"", "it's", "a;b", "$(whoami)", "`whoami`",
            "%COMSPEC%", "line\nnext", "\u2019; whoami; \u2018", "a | b > c", "'\"'\"'");

    @TempDir
    Path dir;

    @HostileInput
    @Test
    void aPowerShellCommandLineHoldsNoValueOnlyBase64() {
        for (String hostile : HOSTILE) {
            String directory = "C:/" + hostile;
            PowerShellProvisioner p = new PowerShellProvisioner("t", new byte[0], Map.of(), null, false, Set.of(0), directory);
            String command = p.command(directory + "/ami-1-run.ps1");
            assertTrue(command.matches("powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+"),
                    command);
            assertEquals("& " + PowerShellLiteral.of(directory + "/ami-1-run.ps1") + "; exit $LASTEXITCODE",
                    ScriptedSsh.decode(command));
        }
    }

    @HostileInput
    @Test
    void theLauncherAndTheElevatedWrapperQuoteEveryPathAndValue() {
        for (String hostile : HOSTILE) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("VALUE", hostile);
            PowerShellProvisioner p = new PowerShellProvisioner("t", new byte[0], env, null, true, Set.of(0), null);
            String launcher = new String(p.launcher("C:/" + hostile + "/run.ps1", "C:/" + hostile + "/s.ps1"),
                    StandardCharsets.UTF_8);
            assertTrue(launcher.contains("$env:VALUE = " + PowerShellLiteral.of(hostile) + "\r\n"), launcher);
            assertTrue(launcher.contains("  & " + PowerShellLiteral.of("C:/" + hostile + "/s.ps1") + "\r\n"), launcher);
            String wrapper = new String(p.elevatedWrapper("C:/w.ps1", "C:/" + hostile + "/run.ps1", "C:/" + hostile + "/x.log",
                    "ami-1"), StandardCharsets.UTF_8);
            String argument = wrapper.replaceAll("(?s).*-Argument '([^']*)'\r\n.*", "$1");
            assertTrue(argument.matches("-NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand [A-Za-z0-9+/=]+"),
                    wrapper);
            assertEquals("& " + PowerShellLiteral.of("C:/" + hostile + "/run.ps1") + " *> "
                    + PowerShellLiteral.of("C:/" + hostile + "/x.log") + "; exit $LASTEXITCODE", ScriptedSsh.decode(argument));
        }
    }

    @HostileInput
    @Test
    void theShellEnvironmentFileGivesTheScriptEveryValueAsWritten() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            env.put("V" + i, HOSTILE.get(i));
        }
        StringBuilder printAll = new StringBuilder("#!/bin/sh\n");
        env.keySet().forEach(name -> printAll.append("printf '%s\\0' \"$").append(name).append("\"\n"));
        ShellProvisioner p = new ShellProvisioner("t", printAll.toString().getBytes(StandardCharsets.UTF_8), env, false,
                Set.of(0), false);
        Path script = Files.write(dir.resolve("ami-1.sh"), printAll.toString().getBytes(StandardCharsets.UTF_8));
        script.toFile().setExecutable(true);
        Path environment = Files.write(dir.resolve("ami-1.env"), p.environmentFile());

        String command = p.command(script.toString(), environment.toString());
        Process sh = new ProcessBuilder("sh", "-c", command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String stdout = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, sh.waitFor());
        assertEquals(String.join("\0", HOSTILE) + "\0", stdout);
        assertTrue(Files.notExists(script) && Files.notExists(environment), "both files are deleted");
    }

    /** The expected PowerShell literal, written out independently of the code under test. */
    private static final class PowerShellLiteral {
        static String of(String value) {
            StringBuilder b = new StringBuilder("'");
            for (char c : value.toCharArray()) {
                b.append(c);
                if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
                    b.append(c);
                }
            }
            return b.append('\'').toString();
        }
    }
}
