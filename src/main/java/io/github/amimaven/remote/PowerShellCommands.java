package io.github.amimaven.remote;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Command lines for a Windows machine's SSH server, whose shell may be cmd.exe (Windows OpenSSH's default) or
 * PowerShell. The two quote differently ({@code %VAR%} expands inside cmd's double quotes, {@code $(…)} inside
 * PowerShell's), so no value of the POM goes on the line as text: the script travels base64-encoded, and values
 * inside the script are single-quoted PowerShell strings.
 */
public final class PowerShellCommands {

    private PowerShellCommands() {
    }

    /**
     * Runs {@code script} with {@code executable} ({@code powershell} or {@code pwsh}, a checked plain command): see
     * {@link #arguments}. Never put a secret in it: a command line is visible to the machine's other processes.
     */
    public static String encoded(String executable, String executionPolicy, String script) {
        return executable + " " + arguments(executionPolicy, script);
    }

    /**
     * PowerShell's arguments that run {@code script} under {@code executionPolicy}: the script as base64 of UTF-16LE,
     * as {@code -EncodedCommand} wants it, so no shell or argument parser interprets a character of it.
     */
    public static String arguments(String executionPolicy, String script) {
        return "-NoProfile -NonInteractive -ExecutionPolicy " + executionPolicy + " -EncodedCommand "
                + Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_16LE));
    }

    /** PowerShell single quoting: the value is literal; a quote (PowerShell also takes the typographic ones) is doubled. */
    public static String quote(String value) {
        return "'" + value.replaceAll("(['\u2018\u2019\u201A\u201B])", "$1$1") + "'";
    }
}
