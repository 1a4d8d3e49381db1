package io.github.amimaven.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Real signals to a real JVM: the first SIGINT stops the build and runs its cleanups, a second one while they run
 * prints what they still hold, and the JVM exits only when the cleanups are done.
 */
class SecondInterruptIT {

    @Test
    void aSecondCtrlCSaysWhatIsBeingCleanedAndTheCleanupStillFinishes() throws Exception {
        Process build = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), InterruptedBuildMain.class.getName())
                .redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the build ended
            }
        });
        reader.start();
        try {
            await(out, "READY", build);
            signal(build, "INT");
            await(out, "Interrupted: stopping 1 image pipeline(s)", build);
            await(out, "CALL awaitTerminated started", build);
            signal(build, "INT");
            await(out, "Still cleaning up", build);
            assertTrue(build.waitFor(60, TimeUnit.SECONDS), out.toString());
            reader.join(5000);
            String log = out.toString();
            assertEquals(130, build.exitValue(), log);
            assertTrue(log.contains("WARN Still cleaning up, please wait; killing the JVM now would leave these for"
                    + " mvn ami:clean-orphans:\n  [web] cleaning up after 'Launching builder'; holds machine i-1"), log);
            int report = log.indexOf("Still cleaning up");
            assertTrue(log.indexOf("CALL awaitTerminated done") > report, "the cleanup went on after the report:\n" + log);
            assertTrue(log.indexOf("INFO [web] deleted failed candidate ami-2") < report, log);
            assertTrue(log.indexOf("INFO [web] terminated builder i-1") > report, log);
        } finally {
            build.destroyForcibly();
        }
    }

    private static void signal(Process p, String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start().waitFor());
    }

    private static void await(StringBuffer out, String text, Process p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!out.toString().contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, "no '" + text + "' in:\n" + out
                    + (p.isAlive() ? "(the build still runs)" : "(the build exited with " + p.exitValue() + ")"));
            Thread.sleep(50);
        }
    }
}
