package io.github.amimaven.platform.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import io.github.amimaven.process.LocalProcess;

/**
 * A {@code qemu-system-x86_64} that behaves, under {@code -accel kvm}, like the hosts this project met, so that the
 * accelerator fallback is tested without such a host. Everything else (the boot probe, TCG, {@code --version}) runs
 * the real QEMU, with {@code kvm} and {@code -cpu host} turned into {@code tcg} and {@code max}: the probe passes, as
 * it did on those hosts. Each KVM launch is recorded in {@code calls}.
 */
final class FakeKvmQemu {

    enum Mode {
        /** KVM runs the guest (really TCG underneath): the guest boots. */
        WORKS,
        /** The guest faults at once: "KVM internal error", the VM sits paused. */
        FAULT,
        /** The guest hangs in its firmware: running, and nothing ever on its console. */
        HANG,
        /** QEMU aborts when it sets the host CPU's MSRs. */
        EXIT
    }

    private FakeKvmQemu() {
    }

    /** Writes the wrapper into {@code dir} and returns its path. */
    static Path write(Path dir, Mode mode) throws IOException {
        String real = LocalProcess.onPath("qemu-system-x86_64")
                .orElseThrow(() -> new IOException("qemu-system-x86_64 not installed")).toString();
        Path calls = dir.resolve("calls");
        String script = """
                #!/bin/bash
                real=%s
                args=(); kvm=0; probe=0
                for a in "$@"; do
                  case "$a" in
                    kvm) kvm=1; args+=(tcg) ;;
                    host) args+=(max) ;;
                    *isa-debug-exit*) probe=1; args+=("$a") ;;
                    *) args+=("$a") ;;
                  esac
                done
                if [ $kvm = 0 ]; then exec "$real" "${args[@]}"; fi
                if [ $probe = 1 ]; then echo probe >> %s; exec "$real" "${args[@]}"; fi
                echo "launch %s" >> %s
                case %s in
                  WORKS) exec "$real" "${args[@]}" ;;
                  FAULT) echo "KVM internal error. Suberror: 1" >&2; echo "emulation failure" >&2
                         exec "$real" "${args[@]}" -S ;;
                  HANG) exec "$real" "${args[@]}" -S ;;
                  EXIT) echo "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69" >&2; exit 134 ;;
                esac
                """.formatted(real, calls, mode, calls, mode);
        Files.createDirectories(dir);
        Path wrapper = dir.resolve("qemu-system-x86_64");
        Files.writeString(wrapper, script);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        return wrapper;
    }

    /** What the wrapper was asked to do under KVM: {@code probe} and {@code launch MODE} lines. */
    static List<String> calls(Path wrapper) throws IOException {
        Path calls = wrapper.resolveSibling("calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }
}
