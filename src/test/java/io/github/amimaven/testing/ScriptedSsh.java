package io.github.amimaven.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.LineSink;
import io.github.amimaven.remote.SshConnector;
import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTimeoutException;

/**
 * An SSH session whose commands answer from a script, for testing what runs commands on a machine without one. It
 * records every command, upload and file written; files written (or given with {@link #file(String, String)}) can be
 * read back. A script drops the connection by throwing {@link SshDisconnectedException}: the session is then closed.
 */
public final class ScriptedSsh implements SshSession {

    private static final Pattern ENCODED = Pattern.compile("-EncodedCommand ([A-Za-z0-9+/=]+)$");

    /** What a command prints and how it exits. */
    public record Reply(int exit, String stdout, String stderr) {

        public static Reply exit(int code) {
            return new Reply(code, "", "");
        }

        public static Reply out(String stdout) {
            return new Reply(0, stdout, "");
        }
    }

    /** How the machine answers a command; given an {@code -EncodedCommand} decoded back to its PowerShell script. */
    @FunctionalInterface
    public interface Script {
        Reply answer(String command) throws SshException;
    }

    /** Commands as run, an {@code -EncodedCommand} decoded back to its script. */
    public final List<String> commands = new CopyOnWriteArrayList<>();
    /** The command lines exactly as sent. */
    public final List<String> commandLines = new CopyOnWriteArrayList<>();
    /** Uploads as {@code local -> remote}. */
    public final List<String> uploads = new CopyOnWriteArrayList<>();
    /** The machine's files by remote path. */
    public final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** The connector refuses to connect, as to a machine whose SSH never answers. */
    public volatile boolean refuse;
    public volatile boolean closed;
    /** How many times the connector connected. */
    public volatile int connects;
    private final Script script;
    private volatile List<KnownHost> hostKeys = List.of();

    /** A machine on which every command succeeds and prints nothing. */
    public ScriptedSsh() {
        this(command -> Reply.exit(0));
    }

    public ScriptedSsh(Script script) {
        this.script = script;
    }

    /** The host keys this session says it saw (none by default). */
    public ScriptedSsh hostKeys(List<KnownHost> keys) {
        hostKeys = List.copyOf(keys);
        return this;
    }

    /** Connects to this session, a fresh connection each time, unless {@link #refuse} is set. */
    public SshConnector connector() {
        return (target, timeout, log) -> {
            if (refuse) {
                throw new SshTimeoutException("injected: no SSH at " + target.address(), null);
            }
            connects++;
            closed = false;
            return this;
        };
    }

    /** The script of an {@code -EncodedCommand} PowerShell command line; any other command line as it is. */
    public static String decode(String commandLine) {
        Matcher m = ENCODED.matcher(commandLine);
        return m.find() ? new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_16LE) : commandLine;
    }

    /** Puts a file on the machine. */
    public ScriptedSsh file(String remotePath, String content) {
        files.put(remotePath, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A file on the machine as text, or null. */
    public String fileText(String remotePath) {
        byte[] content = files.get(remotePath);
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr) throws SshException {
        String decoded = decode(command);
        commandLines.add(command);
        commands.add(decoded);
        Reply reply;
        try {
            reply = script.answer(decoded);
        } catch (SshDisconnectedException e) {
            closed = true;
            throw e;
        }
        if (stdout != null) {
            reply.stdout().lines().forEach(stdout::line);
        }
        if (stderr != null) {
            reply.stderr().lines().forEach(stderr::line);
        }
        return reply.exit();
    }

    @Override
    public void upload(Path local, String remotePath, Integer fileMode) {
        uploads.add(local + " -> " + remotePath);
    }

    @Override
    public void write(byte[] content, String remotePath, int mode) {
        files.put(remotePath, content.clone());
    }

    @Override
    public byte[] read(String remotePath) throws SshException {
        byte[] content = files.get(remotePath);
        if (content == null) {
            throw new SshException("cannot read " + remotePath + ": No such file");
        }
        return content;
    }

    @Override public boolean isConnected() { return !closed; }
    @Override public List<KnownHost> hostKeys() { return hostKeys; }
    @Override public void close() { closed = true; }
}
