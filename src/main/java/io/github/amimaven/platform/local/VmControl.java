package io.github.amimaven.platform.local;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the build does with a VM once it runs: asks whether it still does, reads its console, powers it off with the
 * ACPI button, terminates it or keeps it running for debugging.
 */
final class VmControl {

    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REPRESS_INTERVAL = Duration.ofSeconds(15);

    private final BuildLog log;
    private final VmRegistry registry;

    VmControl(BuildLog log, VmRegistry registry) {
        this.log = log;
        this.registry = registry;
    }

    /** A dead QEMU, a fault QEMU reported, or a run state the guest never leaves by itself. */
    Optional<String> whyNotRunning(String machineId) {
        Vm vm = registry.find(machineId);
        if (vm == null || vm.terminated) {
            return Optional.of(machineId + " was terminated");
        }
        QemuMachine m = vm.machine;
        if (m == null) {
            return Optional.empty();
        }
        String under = Accelerator.KVM.equals(m.spec().accel())
                ? " (under KVM: if KVM faults guests on this host, set <local><accelerator>tcg</accelerator>)" : "";
        Optional<String> fault = m.acceleratorFault();
        if (fault.isPresent()) {
            return Optional.of("QEMU reported: " + fault.get() + under);
        }
        if (!m.isAlive()) {
            Integer code = m.exitCode();
            return Optional.of(code != null && code == 0 ? "the guest powered itself off (QEMU exited)"
                    : "QEMU exited with code " + code + ": " + m.qemuOutputTail() + under);
        }
        Optional<String> state = m.runState(Duration.ofSeconds(2));
        if (state.isPresent() && QemuMachine.DEAD_STATES.contains(state.get())) {
            return Optional.of("the VM stopped in run state " + state.get() + under);
        }
        return Optional.empty();
    }

    /** The VM's serial console, as far as it has printed. */
    Optional<String> consoleOutput(String machineId) {
        Vm vm = registry.find(machineId);
        Path console = vm == null ? null : vm.consoleLog();
        try {
            if (console == null || !Files.exists(console)) {
                return Optional.empty();
            }
            return Optional.of(new String(Files.readAllBytes(console), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void stop(String machineId) {
        Vm vm = registry.vm(machineId);
        if (vm.machine == null || !vm.machine.isAlive()) {
            return;
        }
        vm.stopRequested = true;
        try {
            vm.machine.powerdown(QMP_TIMEOUT);
            log.debug(machineId + ": ACPI power button pressed");
        } catch (IOException e) {
            log.warn(machineId + ": could not ask the guest to power off: " + e.getMessage());
        }
    }

    void awaitStopped(String machineId, Duration timeout) {
        Vm vm = registry.vm(machineId);
        if (vm.machine == null) {
            return;
        }
        try {
            // a power button pressed while the guest was still booting may be lost: press it again now and then
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!vm.machine.waitFor(Duration.ofNanos(Math.min(REPRESS_INTERVAL.toNanos(),
                    Math.max(0, deadline - System.nanoTime()))))) {
                if (System.nanoTime() >= deadline) {
                    break;
                }
                if (vm.stopRequested) {
                    try {
                        vm.machine.powerdown(QMP_TIMEOUT);
                        log.debug(machineId + ": ACPI power button pressed again");
                    } catch (IOException e) {
                        // QEMU may be exiting right now
                    }
                }
            }
            if (!vm.machine.isAlive()) {
                Integer code = vm.machine.exitCode();
                if (code != null && code != 0) {
                    log.warn(machineId + ": QEMU exited with code " + code + ": " + vm.machine.qemuOutputTail());
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vm.machine.kill();
            throw new PlatformException("interrupted while waiting for " + machineId + " to stop", e);
        }
        vm.machine.kill();
        throw PlatformException.timedOut(machineId + " did not power off (killed it, its disk may be inconsistent"
                + vm.diagnostics() + ")", timeout, Timeouts.INSTANCE, null);
    }

    /** A guest that powered itself off ends QEMU with 0; QEMU failing ends it too, but no user data finished then. */
    void awaitGuestShutdown(String machineId, Duration timeout) {
        awaitStopped(machineId, timeout);
        Vm vm = registry.vm(machineId);
        Integer code = vm.machine == null ? null : vm.machine.exitCode();
        if (code != null && code != 0) {
            throw new PlatformException("QEMU of " + machineId + " exited with code " + code + " instead of the guest"
                    + " powering off" + vm.diagnostics(), false);
        }
    }

    void terminate(String machineId) {
        Vm vm = registry.find(machineId);
        if (vm == null) {
            return;
        }
        if (vm.machine != null) {
            vm.machine.kill();
        }
        vm.terminated = true;
        if (vm.pendingCaptures.get() == 0) {
            registry.cleanup(vm);
        } else {
            log.debug(machineId + ": killed; its directory goes when the capture that reads it ends");
        }
    }

    /**
     * Forgets the VM so that neither closing the platform nor the shutdown hook kills it; its directory is marked kept
     * until {@link Platform#KEPT_FOR} has passed, after which a later build's sweep removes it.
     */
    void keepRunning(String machineId) {
        Vm vm = registry.forget(machineId);
        if (vm == null || vm.dir == null) {
            return;
        }
        try {
            Files.writeString(vm.dir.resolve(StaleVmSweeper.OWNER_FILE),
                    StaleVmSweeper.keptUntil(Instant.now().plus(Platform.KEPT_FOR)));
        } catch (IOException e) {
            log.warn(machineId + ": could not mark " + vm.dir + " as kept: " + e.getMessage());
        }
        log.info(machineId + " kept running (QEMU pid " + (vm.machine == null ? "?" : vm.machine.pid()) + ", directory "
                + vm.dir + ")");
    }

    void awaitTerminated(String machineId, Duration timeout) {
        Vm vm = registry.find(machineId);
        if (vm == null) {
            return;
        }
        try {
            if (!vm.cleanedUp.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                throw PlatformException.timedOut(machineId + " was not cleaned up", timeout, Timeouts.INSTANCE, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformException("interrupted while waiting for " + machineId + " to terminate", e);
        }
    }
}
