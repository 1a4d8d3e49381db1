package io.github.amimaven.remote;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * Carries a target session over a {@code direct-tcpip} channel of a bastion session, like OpenSSH's ProxyJump:
 * no local port is opened, so nothing else on this machine can use the tunnel.
 */
final class ChannelProxy implements Proxy {

    private final Session bastion;
    private final Pipe fromTarget;
    private ChannelDirectTCPIP channel;
    private OutputStream toTarget;

    /**
     * @param readTimeoutMs how long a read waits for data before failing like a socket with SO_TIMEOUT: that
     *                      failure is what makes JSch send keepalives, so a vanished target is noticed
     */
    ChannelProxy(Session bastion, int readTimeoutMs) {
        this.bastion = bastion;
        this.fromTarget = new Pipe(readTimeoutMs);
    }

    @Override
    public void connect(SocketFactory ignored, String host, int port, int timeout) throws Exception {
        channel = (ChannelDirectTCPIP) bastion.openChannel("direct-tcpip");
        channel.setHost(host);
        channel.setPort(port);
        // Our own pipe rather than channel.getInputStream(): JSch's PipedInputStream fails with "Read end dead"
        // once the thread that last read it has ended, and the thread that runs the key exchange does end.
        channel.setOutputStream(fromTarget);
        channel.connect(timeout);
        toTarget = channel.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return fromTarget.input;
    }

    @Override
    public OutputStream getOutputStream() {
        return toTarget;
    }

    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.disconnect();
        }
        fromTarget.close();
    }

    /** A byte pipe that any thread may read and write; closing it gives the reader end of stream. */
    private static final class Pipe extends OutputStream {

        private static final int CAPACITY = 1 << 20;
        private final byte[] buffer = new byte[CAPACITY];
        private final long readTimeoutNanos;
        private int start;
        private int length;
        private boolean closed;

        Pipe(int readTimeoutMs) {
            this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMs);
        }

        final InputStream input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                synchronized (Pipe.this) {
                    long deadline = System.nanoTime() + readTimeoutNanos;
                    while (length == 0 && !closed) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new SocketTimeoutException("no data through the bastion for "
                                    + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms");
                        }
                        await(left);
                    }
                    if (length == 0) {
                        return -1;
                    }
                    int n = Math.min(len, Math.min(length, CAPACITY - start));
                    System.arraycopy(buffer, start, b, off, n);
                    start = (start + n) % CAPACITY;
                    length -= n;
                    Pipe.this.notifyAll();
                    return n;
                }
            }

            @Override
            public int available() {
                synchronized (Pipe.this) {
                    return length;
                }
            }

            @Override
            public void close() {
                Pipe.this.close();
            }
        };

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                while (length == CAPACITY && !closed) {
                    await(0);
                }
                if (closed) {
                    throw new IOException("pipe closed");
                }
                int end = (start + length) % CAPACITY;
                int n = Math.min(len, Math.min(CAPACITY - length, CAPACITY - end));
                System.arraycopy(b, off, buffer, end, n);
                length += n;
                off += n;
                len -= n;
                notifyAll();
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            notifyAll();
        }

        private void await(long nanos) throws InterruptedIOException {
            try {
                if (nanos > 0) {
                    TimeUnit.NANOSECONDS.timedWait(this, nanos);
                } else {
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting on the bastion channel");
            }
        }
    }
}
