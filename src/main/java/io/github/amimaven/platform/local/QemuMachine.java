package io.github.amimaven.platform.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.amimaven.process.LocalProcess;

/**
 * One QEMU process: a VM with its disk (a copy-on-write overlay), the NoCloud seed, user networking that
 * forwards a loopback port to the guest's SSH port and nothing else ({@code restrict=on}: the guest reaches
 * neither the host nor the outside), its serial console in a log file and a QMP socket for a clean ACPI
 * shutdown.
 */
public final class QemuMachine {

    /**
     * What to run.
     *
     * @param binary {@code qemu-system-x86_64}
     * @param accel {@code kvm} or {@code tcg}
     * @param disk the VM's disk (qcow2 overlay)
     * @param seed the NoCloud seed ISO, or null
     * @param sshPort the loopback port forwarded to the guest's port 22
     * @param qmpSocket the QMP unix socket
     * @param consoleLog where the serial console goes
     * @param kernel for direct kernel boot, else null (the disk boots itself, through its boot loader)
     * @param initrd with {@code kernel}
     * @param kernelCmdline with {@code kernel}
     */
    public record Spec(String binary, String accel, int memoryMb, int cpus, Path disk, Path seed, int sshPort,
            Path qmpSocket, Path consoleLog, Path kernel, Path initrd, String kernelCmdline) {
    }

    private final String id;
    private final Spec spec;
    private final Path qemuLog;
    private volatile Process process;

    public QemuMachine(String id, Spec spec, Path qemuLog) {
        this.id = id;
        this.spec = spec;
        this.qemuLog = qemuLog;
    }

    public String id() {
        return id;
    }

    public Spec spec() {
        return spec;
    }

    /** The QEMU command line for a spec. */
    public static List<String> commandLine(Spec s) {
        List<String> c = new ArrayList<>();
        c.add(s.binary());
        c.addAll(List.of("-nodefaults", "-no-user-config", "-display", "none", "-monitor", "none"));
        c.addAll(List.of("-machine", "q35", "-accel", s.accel()));
        c.addAll(List.of("-cpu", cpuModel(s.accel())));
        c.addAll(List.of("-m", String.valueOf(s.memoryMb()), "-smp", String.valueOf(s.cpus())));
        c.addAll(List.of("-drive", "file=" + escape(s.disk()) + ",if=none,id=disk0,format=qcow2,discard=unmap",
                // with -kernel, QEMU's own linuxboot option ROM takes boot index 0
                "-device", "virtio-blk-pci,drive=disk0" + (s.kernel() == null ? ",bootindex=0" : "")));
        if (s.seed() != null) {
            c.addAll(List.of("-drive", "file=" + escape(s.seed()) + ",if=none,id=seed0,format=raw,readonly=on",
                    "-device", "virtio-blk-pci,drive=seed0"));
        }
        c.addAll(List.of("-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + s.sshPort() + "-:22",
                "-device", "virtio-net-pci,netdev=net0"));
        c.addAll(List.of("-device", "virtio-rng-pci"));
        c.addAll(List.of("-serial", "file:" + s.consoleLog()));
        c.addAll(List.of("-qmp", "unix:" + s.qmpSocket() + ",server=on,wait=off"));
        if (s.kernel() != null) {
            c.addAll(List.of("-kernel", s.kernel().toString(), "-initrd", s.initrd().toString(), "-append",
                    s.kernelCmdline()));
        }
        return c;
    }

    /** The guest CPU: the host's own under KVM, QEMU's fullest model under emulation. */
    static String cpuModel(String accel) {
        return Accelerator.KVM.equals(accel) ? "host" : "max";
    }

    /** QEMU's option syntax: a comma in a value is written twice. */
    private static String escape(Path p) {
        return p.toString().replace(",", ",,");
    }

    public synchronized void start() throws IOException {
        if (process != null) {
            throw new IllegalStateException(id + " already started");
        }
        process = LocalProcess.startWritingTo(commandLine(spec), qemuLog);
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public boolean started() {
        return process != null;
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public Integer exitCode() {
        Process p = process;
        return p == null || p.isAlive() ? null : p.exitValue();
    }

    /** Waits for the QEMU process to end; true when it has. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        Process p = process;
        return p == null || p.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Presses the ACPI power button (QMP {@code system_powerdown}); the guest shuts itself down. */
    public void powerdown(Duration timeout) throws IOException {
        qmp("system_powerdown", timeout);
    }

    /** Runs one QMP command without arguments and returns its answer line. */
    String qmp(String command, Duration timeout) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                ch.connect(UnixDomainSocketAddress.of(spec.qmpSocket()));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(ch);
                in.readLine(); // greeting
                send(out, "qmp_capabilities");
                answer(in);
                send(out, command);
                return answer(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            throw new IOException("QMP " + command + " failed: " + c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("QMP " + command + " got no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            ch.close();
        }
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write(("{\"execute\":\"" + command + "\"}\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads lines until the command's answer, skipping asynchronous events. */
    private static String answer(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (line.contains("\"return\"")) {
                return line;
            }
            if (line.contains("\"error\"")) {
                throw new IOException(line);
            }
        }
        throw new IOException("QMP connection closed");
    }

    /**
     * The VM's run state as QMP reports it ({@code running}, {@code paused}, {@code internal-error},
     * {@code guest-panicked}, {@code shutdown}, ...); empty when QEMU does not answer in time.
     */
    public java.util.Optional<String> runState(Duration timeout) {
        if (!isAlive()) {
            return java.util.Optional.empty();
        }
        try {
            java.util.regex.Matcher m = RUN_STATUS.matcher(qmp("query-status", timeout));
            return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static final java.util.regex.Pattern RUN_STATUS = java.util.regex.Pattern.compile("\"status\"\\s*:\\s*\"([a-z-]+)\"");

    /** Run states in which the guest will never run again by itself. */
    static final java.util.Set<String> DEAD_STATES = java.util.Set.of("internal-error", "guest-panicked", "shutdown",
            "io-error");

    /** The line of QEMU's own output that says the accelerator failed the guest, if there is one. */
    public java.util.Optional<String> acceleratorFault() {
        try {
            if (qemuLog == null || !Files.exists(qemuLog)) {
                return java.util.Optional.empty();
            }
            return Files.readAllLines(qemuLog, StandardCharsets.ISO_8859_1).stream()
                    .filter(l -> l.contains("KVM internal error") || l.contains("emulation failure")
                            || l.contains("kvm_buf_set_msrs") || l.contains("KVM_EXIT") || l.contains("kvm run failed"))
                    .findFirst().map(String::strip);
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether the guest has written anything to its serial console yet. */
    public boolean consoleHasOutput() {
        try {
            return Files.size(spec.consoleLog()) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills QEMU at once (the guest gets no chance to shut down). */
    public void kill() {
        LocalProcess.killTreeNow(process);
    }

    /** The last lines of QEMU's own output, for error messages. */
    public String qemuOutputTail() {
        return tail(qemuLog, 10);
    }

    public String consoleTail(int lines) {
        return tail(spec.consoleLog(), lines);
    }

    static String tail(Path file, int lines) {
        try {
            if (file == null || !Files.exists(file)) {
                return "";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
