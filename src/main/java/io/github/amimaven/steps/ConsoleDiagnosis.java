package io.github.amimaven.steps;

import io.github.amimaven.pipeline.StepTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.remote.SshException;

/**
 * When the build could not reach or keep its machine (SSH never answered, the connection dropped, the machine died,
 * a provisioner hung past its bound), the machine's serial console is what tells why: a kernel panic, a fault, a boot
 * stuck on a disk or on cloud-init. Its tail goes to the log and all of it to
 * {@code target/ami/<image>/console-<role>.log}, masked like every other output, before cleanup removes the machine.
 */
final class ConsoleDiagnosis {

    static final int TAIL_LINES = 25;

    private ConsoleDiagnosis() {
    }

    static void afterFailure(BuildContext c, Exception failure) {
        if (c.machineId == null || c.interrupted || !aboutTheMachine(failure)) {
            return;
        }
        Optional<String> console;
        try {
            console = c.platform().consoleOutput(c.machineId);
        } catch (RuntimeException e) {
            c.log().warn("could not read the console of " + c.machineId + ": " + e.getMessage());
            return;
        }
        String role = c.machineRole == null ? "machine" : c.machineRole;
        if (console.isEmpty() || console.get().isBlank()) {
            c.log().error("the console of " + role + " " + c.machineId + " is empty (nothing printed yet, or the"
                    + " platform has not published it)");
            return;
        }
        String text = Secrets.global().redact(console.get());
        Path file = c.project().outputDirectory().resolve("ami").resolve(c.image().name())
                .resolve("console-" + role.toLowerCase(Locale.ROOT).replace(' ', '-') + ".log");
        String where;
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            where = "all of it in " + file;
        } catch (IOException e) {
            where = "could not save it: " + e.getMessage();
        }
        List<String> lines = text.lines().toList();
        List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        StringBuilder b = new StringBuilder("console of " + role + " " + c.machineId + " (last " + tail.size()
                + " lines; " + where + "):");
        tail.forEach(l -> b.append("\n  | ").append(l));
        c.log().error(b.toString());
    }

    /** Failures of reaching or keeping the machine, as opposed to a script's own exit status or a bad setting. */
    static boolean aboutTheMachine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MachineDiedException || t instanceof StepTimeoutException || t instanceof SshException) {
                return true;
            }
            if (t instanceof PlatformException p && !p.isUserError()) {
                return true;
            }
        }
        return false;
    }
}
