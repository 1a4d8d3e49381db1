package io.github.amimaven.steps;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.amimaven.remote.LineSink;
import io.github.amimaven.remote.SshConnector;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;

/** An SSH stand-in that records commands and answers with a given exit code. */
final class FakeSsh implements SshSession {

    final List<String> commands = new CopyOnWriteArrayList<>();
    int exitCode;
    boolean refuse;
    boolean closed;

    SshConnector connector() {
        return (target, timeout, log) -> {
            if (refuse) {
                throw new io.github.amimaven.remote.SshTimeoutException("injected: no SSH at " + target.address(), null);
            }
            return this;
        };
    }

    @Override
    public int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr) {
        commands.add(command);
        if (stdout != null) {
            stdout.line("ran " + command.length() + " chars");
        }
        return exitCode;
    }

    @Override public void upload(Path local, String remotePath) { commands.add("upload " + remotePath); }
    @Override public void write(byte[] content, String remotePath, int mode) { commands.add("write " + remotePath); }
    @Override public byte[] read(String remotePath) throws SshException { return new byte[0]; }
    @Override public boolean isConnected() { return !closed; }
    @Override public void close() { closed = true; }
}
