package io.github.amimaven.remote;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Logger;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import io.github.amimaven.log.BuildLog;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Opens SSH sessions to machines that may still be booting. */
public final class Ssh {

    // Listed explicitly so OpenSSH 9 (no SHA-1 ssh-rsa signatures) accepts our RSA keys whatever JSch's defaults.
    private static final String ALGORITHMS = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
            + "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";
    private static final long FIRST_BACKOFF_MS = 250;
    /** An attempt costs a TCP connection and no API call: retry often, so that a server is noticed soon after it starts. */
    private static final long MAX_BACKOFF_MS = 1_000;
    private static final long MAX_ATTEMPT_MS = 10_000;
    /**
     * How long a direct attempt waits for the server's banner before it gives up and connects again. A port that
     * accepts connections but stays silent (QEMU's user network while the guest boots; a booting machine behind NAT)
     * would otherwise hold a whole attempt, and the server's start would be noticed up to an attempt late.
     */
    private static final long BANNER_PROBE_MS = 2_000;
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(15).toNanos();
    private static final int ALIVE_INTERVAL_MS = 5_000;
    private static final int ALIVE_COUNT_MAX = 3;

    private Ssh() {
    }

    /**
     * Connects, retrying with backoff while the machine refuses, times out, resets the connection or rejects
     * the key (a freshly booted instance may accept TCP before cloud-init installed the key). Logs progress at
     * most every 15 s. With a bastion, the bastion is reached first and the target through a
     * {@code direct-tcpip} channel of it; the timeout covers both.
     *
     * @throws SshTimeoutException  when no login succeeded within the timeout
     * @throws SshHostKeyException  when the host key differs from the expected one (not retried)
     * @throws InterruptedException promptly when the thread is interrupted
     */
    public static SshSession connect(SshTarget target, Duration timeout, BuildLog log)
            throws SshException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        List<Session> hops = new ArrayList<>();
        try {
            Session via = null;
            for (SshTarget hop : chain(target)) {
                via = connect(hop, via, target, start, deadline, log);
                hops.add(via);
            }
        } catch (SshException | InterruptedException | RuntimeException e) {
            hops.forEach(Session::disconnect);
            throw e;
        }
        log.debug("SSH connected to " + target + " after " + seconds(System.nanoTime() - start));
        return new JschSshSession(target, hops);
    }

    /** The hops from the outermost bastion to the target. */
    private static List<SshTarget> chain(SshTarget target) {
        List<SshTarget> chain = new ArrayList<>();
        for (SshTarget t = target; t != null; t = t.bastion()) {
            chain.add(0, t);
        }
        return chain;
    }

    private static Session connect(SshTarget hop, Session via, SshTarget target, long start, long deadline,
            BuildLog log) throws SshException, InterruptedException {
        JSch jsch = new JSch();
        jsch.setInstanceLogger(new JschLog(log));
        try {
            // a copy: the key bytes must stay usable for the next attempt, whatever JSch does with its input
            jsch.addIdentity(hop.address(), hop.privateKey().clone(), null, null);
        } catch (JSchException e) {
            // JSch's message may quote the key; ours must not
            throw new SshAuthException("the private key for " + hop.address() + " is not a usable PEM or OpenSSH key");
        }
        String what = hop == target ? target.toString() : "bastion " + hop.address() + " (for " + target.address() + ")";
        long backoff = FIRST_BACKOFF_MS;
        long lastProgress = start;
        SshException lastError = null;
        int attempts = 0;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                String last = lastError == null ? "no attempt possible" : lastError.getMessage();
                throw new SshTimeoutException("cannot log in to " + what + " over SSH within "
                        + seconds(System.nanoTime() - start) + " (" + attempts + " attempts); last error: " + last,
                        lastError);
            }
            if (via != null && !via.isConnected()) {
                throw new SshDisconnectedException("lost the connection to the bastion while connecting to " + what);
            }
            attempts++;
            int attemptMs = (int) Math.max(1, Math.min(MAX_ATTEMPT_MS, remaining / 1_000_000));
            // a direct target first shows it is an SSH server that talks (a bastion's channel has nothing to probe)
            SshException error = via == null
                    ? probeBanner(hop, Math.min(deadline, System.nanoTime() + BANNER_PROBE_MS * 1_000_000)) : null;
            if (error == null) {
                HostKeyCheck hostKeys = new HostKeyCheck(hop.expectedHostKeyFingerprint());
                Session session = newSession(jsch, hop, via, hostKeys);
                try {
                    connectInterruptibly(session, attemptMs, hop.address());
                    return session;
                } catch (JSchException e) {
                    session.disconnect();
                    if (hostKeys.mismatch != null) {
                        String expected = hop.expectedHostKeyFingerprint().strip();
                        throw new SshHostKeyException("host key of " + hop.address() + " is " + hostKeys.mismatch
                                + " but " + (expected.contains(" ") ? "one of " : "") + expected + " was expected;"
                                + " refusing to log in");
                    }
                    error = classify(e, hop);
                    if (error == null) {
                        throw new SshException("SSH to " + hop.address() + " failed: " + describe(e), e);
                    }
                }
            }
            log.debug("SSH attempt " + attempts + " to " + hop.address() + " failed: " + error.getMessage());
            // an attempt cut short by the deadline says less than the error before it (e.g. a rejected key)
            boolean cutShort = attemptMs < MAX_ATTEMPT_MS && System.nanoTime() >= deadline;
            if (lastError == null || !cutShort) {
                lastError = error;
            }
            long now = System.nanoTime();
            if (now - lastProgress >= PROGRESS_EVERY_NANOS) {
                lastProgress = now;
                log.info("waiting for SSH on " + what + ": " + seconds(now - start) + " elapsed, last error: "
                        + lastError.getMessage());
            }
            Thread.sleep(Math.max(0, Math.min(backoff, (deadline - now) / 1_000_000)));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
    }

    /**
     * Connects to the hop and waits until {@code deadline} ({@link System#nanoTime()}) for the server to say anything
     * (its banner); null when it did, else the error to retry on. Interruptible: the wait is a selector's, which an
     * interrupt wakes.
     */
    static SshException probeBanner(SshTarget hop, long deadline) throws InterruptedException {
        long start = System.nanoTime();
        try (SocketChannel channel = SocketChannel.open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            boolean connected = channel.connect(new InetSocketAddress(hop.host(), hop.port()));
            channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new SshException("timed out (connected, but no SSH banner within "
                            + (System.nanoTime() - start) / 1_000_000 + " ms)");
                }
                selector.select(Math.max(1, left / 1_000_000));
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while connecting to " + hop.address());
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isConnectable() && channel.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ);
                    } else if (key.isReadable()) {
                        if (channel.read(buffer) < 0) {
                            return new SshException("connection closed before the SSH banner");
                        }
                        if (buffer.position() > 0) {
                            return null;
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ConnectException e) {
            return new SshException("connection refused", e);
        } catch (NoRouteToHostException e) {
            return new SshException("no route to host", e);
        } catch (UnresolvedAddressException e) {
            return new SshException("unknown host " + hop.host());
        } catch (IOException e) {
            return new SshException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private static Session newSession(JSch jsch, SshTarget hop, Session via, HostKeyCheck hostKeys)
            throws SshException {
        try {
            Session session = jsch.getSession(hop.user(), hop.host(), hop.port());
            session.setHostKeyRepository(hostKeys);
            session.setConfig("StrictHostKeyChecking", hop.expectedHostKeyFingerprint() == null ? "no" : "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setConfig("PubkeyAcceptedAlgorithms", ALGORITHMS);
            session.setConfig("server_host_key", ALGORITHMS);
            session.setServerAliveInterval(ALIVE_INTERVAL_MS);
            session.setServerAliveCountMax(ALIVE_COUNT_MAX);
            // a forgotten session must not keep Maven's JVM alive
            session.setDaemonThread(true);
            if (via != null) {
                session.setProxy(new ChannelProxy(via, ALIVE_INTERVAL_MS));
            }
            return session;
        } catch (JSchException e) {
            throw new SshException("cannot set up an SSH session to " + hop.address() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Session.connect blocks in socket connects and reads that ignore interrupts, so the attempt runs on its
     * own thread and an interrupt abandons it: the session is torn down now, or as soon as it connects.
     */
    private static void connectInterruptibly(Session session, int timeoutMs, String address)
            throws JSchException, InterruptedException {
        Object lock = new Object();
        Throwable[] failure = new Throwable[1];
        boolean[] abandoned = new boolean[1];
        Thread attempt = new Thread(() -> {
            try {
                session.connect(timeoutMs);
                synchronized (lock) {
                    if (abandoned[0]) {
                        session.disconnect();
                    }
                }
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "ssh-connect " + address);
        attempt.setDaemon(true);
        attempt.start();
        try {
            attempt.join();
        } catch (InterruptedException e) {
            synchronized (lock) {
                abandoned[0] = true;
            }
            session.disconnect();
            throw e;
        }
        if (failure[0] instanceof JSchException jsch) {
            throw jsch;
        }
        if (failure[0] instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure[0] instanceof Error error) {
            throw error;
        }
        if (failure[0] != null) {
            throw new JSchException(failure[0].toString(), failure[0]);
        }
    }

    /** The error to remember and retry on, or null when retrying cannot help. */
    private static SshException classify(JSchException e, SshTarget hop) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.startsWith("auth fail") || message.startsWith("auth cancel")) {
            return new SshAuthException("authentication of " + hop.user() + " with the given key failed"
                    + " (the key may not be installed yet)", e);
        }
        if (message.contains("algorithm negotiation fail")) {
            return null;
        }
        return new SshException(describe(e), e);
    }

    private static String describe(JSchException e) {
        Throwable cause = e.getCause();
        String message = String.valueOf(e.getMessage());
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof SocketTimeoutException || message.startsWith("timeout")) {
            return "timed out";
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (message.toLowerCase(Locale.ROOT).contains("connection reset")) {
            return "connection reset";
        }
        if (cause instanceof IOException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return message;
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /**
     * Checks the server's key against the expected fingerprint. Never stores anything: temporary instances
     * would only fill the user's known_hosts with keys that are never seen again.
     */
    private static final class HostKeyCheck implements HostKeyRepository {

        private final String expected;
        volatile String mismatch;

        HostKeyCheck(String expected) {
            this.expected = expected;
        }

        @Override
        public int check(String host, byte[] key) {
            if (expected == null) {
                return OK;
            }
            String actual = SshKeys.fingerprint(key);
            if (SshKeys.anyFingerprint(expected, actual)) {
                return OK;
            }
            mismatch = actual;
            return NOT_INCLUDED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "expected host key fingerprint";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }

    /** JSch's own chatter, demoted to debug; JSch logs no key material at INFO and above. */
    private record JschLog(BuildLog log) implements Logger {

        @Override
        public boolean isEnabled(int level) {
            return level >= INFO;
        }

        @Override
        public void log(int level, String message) {
            log.debug("jsch: " + message);
        }
    }
}
