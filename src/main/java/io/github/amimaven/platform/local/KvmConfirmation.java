package io.github.amimaven.platform.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Watches the first real guest booted under KVM until it has shown that KVM runs it: its SSH server answers. A boot
 * probe passing says little (see {@link Accelerator}); a guest that faults under KVM does not crash QEMU, it sits
 * paused in run state {@code internal-error} while a caller polls SSH for minutes. This notices that within a second
 * or two, and a guest that makes no progress at all (nothing on its serial console) within a short window.
 */
final class KvmConfirmation {

    private static final long POLL_MS = 250;
    /** QMP costs a connection: asked at most this often. */
    private static final long STATE_POLL_MS = 1000;
    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);
    private static final int BANNER_READ_MS = 2000;

    /**
     * How the watch ended.
     *
     * @param confirmed KVM runs this guest
     * @param detail why: the fault, or what confirmed it
     */
    record Outcome(boolean confirmed, String detail) {
    }

    private KvmConfirmation() {
    }

    /**
     * Watches {@code machine} until its SSH server answers on {@code sshPort} (confirmed), until it faults or makes no
     * progress within {@code progressWindow} (not confirmed), or until {@code confirmWindow} passes with its console
     * printing and no fault (confirmed: a guest may run no SSH server at all).
     */
    static Outcome watch(QemuMachine machine, int sshPort, Duration progressWindow, Duration confirmWindow)
            throws InterruptedException {
        long start = System.nanoTime();
        long lastState = 0;
        try (BannerProbe banner = new BannerProbe(sshPort)) {
        while (true) {
            Optional<String> fault = machine.acceleratorFault();
            if (fault.isPresent()) {
                return new Outcome(false, "QEMU reported: " + fault.get());
            }
            if (!machine.isAlive()) {
                return new Outcome(false, "QEMU exited with code " + machine.exitCode()
                        + lastLine(machine.qemuOutputTail()));
            }
            long now = System.nanoTime();
            if (now - lastState >= STATE_POLL_MS * 1_000_000) {
                lastState = now;
                Optional<String> state = machine.runState(QMP_TIMEOUT);
                if (state.isPresent() && QemuMachine.DEAD_STATES.contains(state.get())) {
                    return new Outcome(false, "the VM stopped in run state " + state.get());
                }
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            if (banner.answered()) {
                return new Outcome(true, "its SSH server answered after " + seconds(elapsedMs));
            }
            boolean printed = machine.consoleHasOutput();
            if (!printed && elapsedMs >= progressWindow.toMillis()) {
                return new Outcome(false, "no progress: nothing on its serial console after " + seconds(elapsedMs));
            }
            if (printed && elapsedMs >= confirmWindow.toMillis()) {
                return new Outcome(true, "it ran " + seconds(elapsedMs) + " without a fault");
            }
            Thread.sleep(POLL_MS);
        }
        }
    }

    /**
     * One connection kept open across polls: under emulation sshd takes seconds to fork, re-exec and send its banner,
     * longer than any one poll may wait. A connection the guest's network closed (nothing listens yet) is made again.
     */
    private static final class BannerProbe implements AutoCloseable {
        private final int port;
        private Socket socket;
        private final StringBuilder seen = new StringBuilder();

        BannerProbe(int port) {
            this.port = port;
        }

        boolean answered() {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.connect(new InetSocketAddress(LocalPlatform.ADDRESS, port), BANNER_READ_MS);
                    socket.setSoTimeout(50);
                    seen.setLength(0);
                }
                InputStream in = socket.getInputStream();
                byte[] b = new byte[64];
                int n = in.read(b);
                if (n < 0) {
                    close();
                    return false;
                }
                seen.append(new String(b, 0, n, StandardCharsets.US_ASCII));
                return seen.toString().startsWith("SSH-");
            } catch (java.net.SocketTimeoutException quiet) {
                return false;
            } catch (IOException e) {
                close();
                return false;
            }
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing only
                }
                socket = null;
            }
        }
    }

    private static String lastLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] lines = text.strip().split("\n");
        return ": " + lines[lines.length - 1].strip();
    }

    private static String seconds(long ms) {
        return String.format("%.1f s", ms / 1000.0);
    }
}
