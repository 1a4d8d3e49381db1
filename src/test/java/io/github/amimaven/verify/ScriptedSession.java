package io.github.amimaven.verify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.github.amimaven.remote.LineSink;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;

/** An SSH session whose commands answer from a script: records commands, uploads, reads. */
final class ScriptedSession implements SshSession {

    record Reply(int exit, String stdout, String stderr) {
    }

    final List<String> commands = new ArrayList<>();
    final List<String> uploads = new ArrayList<>();
    final Map<String, byte[]> files = new HashMap<>();
    private final Function<String, Reply> script;

    ScriptedSession(Function<String, Reply> script) {
        this.script = script;
    }

    @Override
    public int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr) {
        commands.add(command);
        Reply r = script.apply(command);
        r.stdout().lines().forEach(l -> { if (stdout != null) stdout.line(l); });
        r.stderr().lines().forEach(l -> { if (stderr != null) stderr.line(l); });
        return r.exit();
    }

    @Override
    public void upload(Path local, String remotePath) {
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

    void file(String path, String content) {
        files.put(path, content.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void close() {
    }
}
