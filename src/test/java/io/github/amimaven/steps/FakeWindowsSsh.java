package io.github.amimaven.steps;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.amimaven.remote.LineSink;
import io.github.amimaven.remote.SshConnector;
import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.remote.SshSession;

/**
 * A Windows machine's OpenSSH session as far as the pipeline can tell: it keeps every command (an
 * {@code -EncodedCommand} decoded back to its script) and every file written, answers the PowerShell readiness
 * probe with a version, and on EC2Launch's sysprep runs {@link #onSysprep} (the guest shutting down) and drops the
 * connection, or exits with {@link #sysprepExit} when that is set.
 */
final class FakeWindowsSsh implements SshSession {

    private static final Pattern ENCODED = Pattern.compile("-EncodedCommand ([A-Za-z0-9+/=]+)$");

    /** Commands as run; encoded PowerShell as its decoded script. */
    final List<String> commands = new CopyOnWriteArrayList<>();
    /** The command lines exactly as sent. */
    final List<String> commandLines = new CopyOnWriteArrayList<>();
    final Map<String, String> written = new ConcurrentHashMap<>();
    volatile Runnable onSysprep = () -> { };
    volatile Integer sysprepExit;
    volatile boolean closed;
    volatile int connects;

    SshConnector connector() {
        return (target, timeout, log) -> {
            connects++;
            closed = false;
            return this;
        };
    }

    static String decode(String commandLine) {
        Matcher m = ENCODED.matcher(commandLine);
        return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_16LE) : commandLine;
    }

    @Override
    public int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr) throws SshDisconnectedException {
        String script = decode(command);
        commandLines.add(command);
        commands.add(script);
        if (script.contains("$PSVersionTable")) {
            stdout.line("5.1.20348.2849");
            return 0;
        }
        if (script.contains("sysprep --shutdown=true")) {
            stdout.line("running EC2Launch v2 sysprep");
            onSysprep.run();
            if (sysprepExit != null) {
                return sysprepExit;
            }
            closed = true;
            throw new SshDisconnectedException("connection closed by the machine");
        }
        return 0;
    }

    @Override public void upload(Path local, String remotePath) { commands.add("upload " + remotePath); }

    @Override
    public void write(byte[] content, String remotePath, int mode) {
        written.put(remotePath, new String(content, StandardCharsets.UTF_8));
    }

    @Override public byte[] read(String remotePath) { return new byte[0]; }
    @Override public boolean isConnected() { return !closed; }
    @Override public void close() { closed = true; }
}
