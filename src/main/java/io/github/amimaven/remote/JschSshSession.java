package io.github.amimaven.remote;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** An {@link SshSession} on JSch; the last hop is the target, any before it are bastions. */
final class JschSshSession implements SshSession {

    private static final int CHANNEL_TIMEOUT_MS = 30_000;
    private static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final SshTarget target;
    private final List<Session> hops;
    private final Session session;

    JschSshSession(SshTarget target, List<Session> hops) {
        this.target = target;
        this.hops = List.copyOf(hops);
        this.session = hops.get(hops.size() - 1);
    }

    @Override
    public int exec(String command, byte[] stdin, LineSink stdout, LineSink stderr)
            throws SshException, InterruptedException {
        LineSink toStdout = stdout == null ? line -> { } : LineSink.redacting(stdout);
        LineSink toStderr = stderr == null ? line -> { } : LineSink.redacting(stderr);
        // JSch's session thread delivers output; lines are queued so the sinks run on the caller's thread
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        LineSplitter out = new LineSplitter(lines, false);
        LineSplitter err = new LineSplitter(lines, true);
        ChannelExec channel;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setOutputStream(out);
            channel.setErrStream(err);
            // stdin is written by a thread of ours, not through setInputStream: JSch's own stdin thread races a
            // command that ends at once (its channel closes while connect() still sets that thread up: an NPE)
            OutputStream toCommand = channel.getOutputStream();
            channel.connect(CHANNEL_TIMEOUT_MS);
            byte[] input = stdin == null ? new byte[0] : stdin;
            Thread feeder = new Thread(() -> {
                // an empty stdin rather than none, so commands that read it see end of file instead of hanging
                try (toCommand) {
                    toCommand.write(input);
                } catch (IOException commandEndedFirst) {
                    // a command that does not read its stdin may end before it is written
                }
            }, "ssh-stdin " + target);
            feeder.setDaemon(true);
            feeder.start();
        } catch (JSchException e) {
            throw failure("cannot start command", e);
        } catch (IOException e) {
            throw new SshException("cannot start command on " + target + ": " + e.getMessage(), e);
        }
        boolean abandoned = true;
        try {
            int open = 2;
            long closedSince = 0;
            while (true) {
                Line line = lines.poll(50, TimeUnit.MILLISECONDS);
                if (line != null) {
                    if (line.text == null) {
                        open--;
                    } else {
                        (line.stderr ? toStderr : toStdout).line(line.text);
                    }
                    continue;
                }
                if (channel.isClosed() || !session.isConnected()) {
                    if (open == 0) {
                        break;
                    }
                    // normally both streams are closed right after the channel; don't rely on it forever
                    long now = System.nanoTime();
                    if (closedSince == 0) {
                        closedSince = now;
                    } else if (now - closedSince > DRAIN_GRACE_NANOS) {
                        out.close();
                        err.close();
                        drain(lines, toStdout, toStderr);
                        break;
                    }
                }
            }
            int status = channel.getExitStatus();
            abandoned = false;
            if (status >= 0) {
                return status;
            }
            if (!session.isConnected()) {
                throw new SshDisconnectedException("connection to " + target + " dropped while running: "
                        + abbreviate(command));
            }
            throw new SshException("command on " + target + " ended without an exit status (killed by a signal?): "
                    + abbreviate(command));
        } finally {
            if (abandoned) {
                // without a terminal nothing else would stop the command; best effort, sshd may not support it
                try {
                    channel.sendSignal("TERM");
                } catch (Exception ignored) {
                    // the channel is going away regardless
                }
            }
            channel.disconnect();
        }
    }

    private static void drain(BlockingQueue<Line> lines, LineSink stdout, LineSink stderr) {
        for (Line line; (line = lines.poll()) != null; ) {
            if (line.text != null) {
                (line.stderr ? stderr : stdout).line(line.text);
            }
        }
    }

    @Override
    public void upload(Path local, String remotePath, Integer fileMode) throws SshException {
        withSftp("upload " + local + " to " + remotePath, sftp -> {
            if (!Files.isDirectory(local)) {
                mkdirs(sftp, parent(remotePath));
                put(sftp, local, remotePath, fileMode);
                return null;
            }
            List<Path> paths = treeInside(local);
            mkdirs(sftp, remotePath);
            sftp.chmod(mode(local), literal(remotePath));
            for (Path path : paths) {
                String remote = remotePath + "/" + toRemote(local.relativize(path));
                if (Files.isDirectory(path)) {
                    mkdirs(sftp, remote);
                    sftp.chmod(mode(path), literal(remote));
                } else {
                    put(sftp, path, remote, fileMode);
                }
            }
            return null;
        });
    }

    /**
     * The files and directories under {@code root}, links followed; an IOException naming the link when one leads
     * out of {@code root}, before anything is uploaded: what the POM names is checked, not what its links reach.
     */
    private static List<Path> treeInside(Path root) throws IOException {
        Path realRoot = root.toRealPath();
        List<Path> paths;
        try (Stream<Path> tree = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            paths = tree.filter(path -> !path.equals(root)).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path path : paths) {
            if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(realRoot)) {
                throw new IOException("the link " + path + " leads out of the uploaded directory (to "
                        + path.toRealPath() + "): copy the file into it, or upload it with its own <file>");
            }
        }
        return paths;
    }

    @Override
    public void write(byte[] content, String remotePath, int mode) throws SshException {
        withSftp("write " + remotePath, sftp -> {
            mkdirs(sftp, parent(remotePath));
            writeWithMode(sftp, new ByteArrayInputStream(content), remotePath, mode);
            return null;
        });
    }

    @Override
    public byte[] read(String remotePath) throws SshException {
        return withSftp("read " + remotePath, sftp -> {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            sftp.get(literal(remotePath), content);
            return content.toByteArray();
        });
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public List<KnownHost> hostKeys() {
        List<KnownHost> keys = new ArrayList<>();
        SshTarget hop = target;
        for (int i = hops.size() - 1; i >= 0; i--, hop = hop.bastion()) {
            HostKey key = hops.get(i).getHostKey();
            keys.add(0, new KnownHost(hop.host(), hop.port(), key.getType() + " " + key.getKey()));
        }
        return keys;
    }

    @Override
    public void close() {
        for (int i = hops.size() - 1; i >= 0; i--) {
            hops.get(i).disconnect();
        }
    }

    @Override
    public String toString() {
        return "SshSession[" + target + "]";
    }

    private interface SftpWork<T> {
        T run(ChannelSftp sftp) throws SftpException, IOException;
    }

    /** One SFTP channel per operation: cheap, and no channel state outlives a failed operation. */
    private <T> T withSftp(String what, SftpWork<T> work) throws SshException {
        ChannelSftp sftp = null;
        try {
            sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(CHANNEL_TIMEOUT_MS);
            return work.run(sftp);
        } catch (JSchException | SftpException | IOException e) {
            throw failure("cannot " + what, e);
        } finally {
            if (sftp != null) {
                sftp.disconnect();
            }
        }
    }

    private SshException failure(String what, Exception e) {
        if (!session.isConnected()) {
            return new SshDisconnectedException("connection to " + target + " dropped: " + what, e);
        }
        return new SshException(what + " on " + target + ": " + e.getMessage(), e);
    }

    /** Uploads a file with {@code fileMode}, or its local mode when that is null. */
    private static void put(ChannelSftp sftp, Path local, String remote, Integer fileMode)
            throws SftpException, IOException {
        try (InputStream in = Files.newInputStream(local)) {
            writeWithMode(sftp, in, remote, fileMode == null ? mode(local) : fileMode);
        }
    }

    /** Empty first and chmod before the content goes in, so the content is never readable under a looser mode. */
    private static void writeWithMode(ChannelSftp sftp, InputStream content, String remote, int mode)
            throws SftpException {
        String path = literal(remote);
        sftp.put(new ByteArrayInputStream(new byte[0]), path, ChannelSftp.OVERWRITE);
        sftp.chmod(mode, path);
        sftp.put(content, path, ChannelSftp.OVERWRITE);
    }

    /** A local file's permission bits; 0755 or 0644 by its executable bit where the file system has no POSIX modes. */
    private static int mode(Path file) throws IOException {
        try {
            int mode = 0;
            for (PosixFilePermission permission : Files.getPosixFilePermissions(file)) {
                mode |= 0400 >> permission.ordinal();
            }
            return mode;
        } catch (UnsupportedOperationException notPosix) {
            return Files.isDirectory(file) || Files.isExecutable(file) ? 0755 : 0644;
        }
    }

    /**
     * A remote path as JSch takes it literally: its SFTP calls expand {@code *} and {@code ?} in remote paths, and
     * a backslash escapes them (a destination {@code a*b} would otherwise overwrite an existing {@code axxb}).
     */
    static String literal(String remotePath) {
        return remotePath.replaceAll("([\\\\*?\\[])", "\\\\$1");
    }

    private static void mkdirs(ChannelSftp sftp, String dir) throws SftpException {
        if (dir.isEmpty() || dir.equals("/") || dir.equals(".")) {
            return;
        }
        try {
            SftpATTRS attrs = sftp.stat(literal(dir));
            if (!attrs.isDir()) {
                throw new SftpException(ChannelSftp.SSH_FX_FAILURE, dir + " exists and is not a directory");
            }
            return;
        } catch (SftpException e) {
            if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw e;
            }
        }
        mkdirs(sftp, parent(dir));
        sftp.mkdir(literal(dir));
    }

    private static String parent(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "" : slash == 0 ? "/" : p.substring(0, slash);
    }

    private static String toRemote(Path relative) {
        StringBuilder remote = new StringBuilder();
        for (Path part : relative) {
            if (remote.length() > 0) {
                remote.append('/');
            }
            remote.append(part);
        }
        return remote.toString();
    }

    private static String abbreviate(String command) {
        String oneLine = command.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }

    /** A line of output; null text marks the end of its stream. */
    private record Line(boolean stderr, String text) {
    }

    /** Cuts a byte stream into UTF-8 lines; a '\n' byte never occurs inside a multi-byte character. */
    private static final class LineSplitter extends OutputStream {

        private final BlockingQueue<Line> lines;
        private final boolean stderr;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();
        private boolean closed;

        LineSplitter(BlockingQueue<Line> lines, boolean stderr) {
            this.lines = lines;
            this.stderr = stderr;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (closed) {
                return;
            }
            int end = off + len;
            for (int i = off; i < end; i++) {
                if (b[i] == '\n') {
                    current.write(b, off, i - off);
                    emit();
                    off = i + 1;
                }
            }
            current.write(b, off, end - off);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (current.size() > 0) {
                emit();
            }
            lines.add(new Line(stderr, null));
        }

        private void emit() {
            byte[] bytes = current.toByteArray();
            int length = bytes.length;
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
            lines.add(new Line(stderr, new String(bytes, 0, length, StandardCharsets.UTF_8)));
            current.reset();
        }
    }
}
