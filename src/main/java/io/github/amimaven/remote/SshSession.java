package io.github.amimaven.remote;

import java.nio.file.Path;
import java.util.List;

/** A logged-in SSH connection. Use it from one thread at a time; close it to drop the connection. */
public interface SshSession extends AutoCloseable {

    /**
     * Runs a command. Every line of stdout and stderr is handed to the sinks, on the calling thread, as it
     * arrives (UTF-8, line endings stripped, a partial last line flushed at the end).
     *
     * @param stdin written to the command, then stdin is closed; null gives the command an empty stdin
     * @param stdout receives stdout lines; null discards them
     * @param stderr receives stderr lines; null discards them
     * @return the command's exit status
     * @throws SshDisconnectedException when the connection drops before an exit status arrives
     */
    int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr)
            throws SshException, InterruptedException;

    /**
     * Uploads a file to {@code remotePath}, or a directory's contents into {@code remotePath}, creating
     * missing directories like {@code mkdir -p}. {@code remotePath} is taken literally (no wildcards). Files get
     * {@code fileMode} (e.g. {@code 0640}), or their local mode when it is null; directories get their local mode.
     * A link in an uploaded directory is followed when it stays inside the directory; one that leads out of it
     * fails the upload, naming it, before anything is written.
     */
    void upload(Path local, String remotePath, Integer fileMode) throws SshException;

    /** Writes a remote file with the given POSIX mode (e.g. {@code 0600}), creating parent directories. */
    void write(byte[] content, String remotePath, int mode) throws SshException;

    /** Reads a remote file. */
    byte[] read(String remotePath) throws SshException;

    boolean isConnected();

    /**
     * The host keys the session's hops presented when it logged in, bastions first: checked against the expected
     * fingerprints with {@code <strictHostKeys>}, else the keys seen first. Still known after the session closed.
     */
    List<KnownHost> hostKeys();

    @Override
    void close();
}
