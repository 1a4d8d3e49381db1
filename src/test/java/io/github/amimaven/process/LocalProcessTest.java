package io.github.amimaven.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.log.Secrets;

class LocalProcessTest {

    @Test
    void streamsLinesAndReturnsTheExitCode() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        int exit = LocalProcess.run(List.of("sh", "-c", "echo one; echo two >&2; exit 3"), null, null, lines::add);
        assertEquals(3, exit);
        assertEquals(List.of("one", "two"), lines);
    }

    @Test
    void aSecretTheToolPrintsReachesTheSinkMasked() throws Exception {
        Secrets.global().add("tool-secret-5e0c");
        List<String> lines = new CopyOnWriteArrayList<>();
        LocalProcess.run(List.of("sh", "-c", "echo token=tool-secret-5e0c"), null, null, lines::add);
        assertEquals(List.of("token=" + Secrets.MASK), lines);
    }

    @Test
    void theToolRunsInItsDirectoryWithItsEnvironmentAndNothingToReadOnStdin(@TempDir Path tmp) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        int exit = LocalProcess.run(List.of("sh", "-c", "pwd; echo $AMI_TEST_VALUE; cat; echo read"),
                Map.of("AMI_TEST_VALUE", "given"), tmp, lines::add);
        assertEquals(0, exit);
        assertEquals(List.of(tmp.toRealPath().toString(), "given", "read"), lines);
    }

    @Test
    void aToolOnItsOwnWritesItsOutputToItsLogAndReadsNothing(@TempDir Path tmp) throws Exception {
        Path log = tmp.resolve("tool.log");
        Process p = LocalProcess.startWritingTo(List.of("sh", "-c", "echo out; echo err >&2; cat; echo done"), log);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "a tool waiting on stdin would never end");
        assertEquals(List.of("out", "err", "done"), Files.readAllLines(log));
    }

    @Test
    void exitCodeOfAShortCommand() throws Exception {
        assertEquals(OptionalInt.of(0), LocalProcess.exitCode(List.of("true"), Duration.ofSeconds(10)));
        assertEquals(OptionalInt.of(4), LocalProcess.exitCode(List.of("sh", "-c", "cat; exit 4"), Duration.ofSeconds(10)));
        assertThrows(java.io.IOException.class,
                () -> LocalProcess.exitCode(List.of("/nonexistent/ami-no-such-tool"), Duration.ofSeconds(10)));
    }

    /** A probe that hangs is given up at its limit, and neither it nor what it started keeps running. */
    @Test
    void aCommandPastItsLimitIsKilledWithItsChildren(@TempDir Path tmp) throws Exception {
        Path pids = tmp.resolve("pids");
        long start = System.nanoTime();
        assertEquals(OptionalInt.empty(), LocalProcess.exitCode(List.of("sh", "-c",
                "echo $$ >> " + pids + "; sleep 300 & echo $! >> " + pids + "; wait"), Duration.ofMillis(500)));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
        assertEquals(2, Files.readAllLines(pids).size());
        for (String pid : Files.readAllLines(pids)) {
            var handle = ProcessHandle.of(Long.parseLong(pid.strip()));
            if (handle.isPresent()) {
                handle.get().onExit().get(5, TimeUnit.SECONDS);
                assertFalse(handle.get().isAlive(), "process " + pid + " outlived its limit");
            }
        }
    }

    /**
     * A tool that prints nothing and started children of its own (ansible-playbook and its ssh) still ends the moment
     * the waiting thread is interrupted, children included.
     */
    @Test
    void anInterruptKillsTheWholeTreeEvenWhenItPrintsNothing(@TempDir Path tmp) throws Exception {
        Path pids = tmp.resolve("pids");
        Thread waiter = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                for (int i = 0; i < 100 && (!Files.exists(pids) || Files.readAllLines(pids).size() < 2); i++) {
                    Thread.sleep(50);
                }
                waiter.interrupt();
            } catch (Exception e) {
                waiter.interrupt();
            }
        });
        interrupter.start();
        long start = System.nanoTime();
        InterruptedException e = assertThrows(InterruptedException.class, () -> LocalProcess.run(List.of("sh", "-c",
                "sleep 300 & echo $! >> " + pids + "; sh -c 'echo $$ >> " + pids + "; exec sleep 300' & wait"),
                null, null, l -> { }));
        assertEquals("interrupted while running sh", e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
        assertAllGone(pids);
    }

    /**
     * {@code kill -9} of the build runs no shutdown hook and no cleanup: the tool it waited for, and what that
     * started, must still end within seconds instead of running on as orphans.
     */
    @Test
    void aToolAndItsChildDieWithAJvmKilledOutright() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RunsAToolUntilKilled.class.getName())
                .redirectErrorStream(true).start();
        List<Long> pids;
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(jvm.getInputStream()))) {
            String line = out.readLine();
            assertTrue(line != null && line.matches("tool \\d+ child \\d+"), "the tool started: " + line);
            String[] words = line.split(" ");
            pids = List.of(Long.parseLong(words[1]), Long.parseLong(words[3]));
        } finally {
            jvm.destroyForcibly();
        }
        assertTrue(jvm.waitFor(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pids.stream().anyMatch(LocalProcessTest::running) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        for (long pid : pids) {
            boolean left = running(pid);
            if (left) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            assertFalse(left, "process " + pid + " outlived the killed JVM by 5 s");
        }
    }

    /** Alive and not a zombie waiting for a reaper: as /proc tells. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private static void assertAllGone(Path pids) throws Exception {
        for (String pid : Files.readAllLines(pids)) {
            var handle = ProcessHandle.of(Long.parseLong(pid.strip()));
            if (handle.isPresent()) {
                handle.get().onExit().get(5, TimeUnit.SECONDS);
                assertFalse(handle.get().isAlive(), "child " + pid + " outlived the tool");
            }
        }
    }

    @Test
    void outputIsWhatTheCommandPrintedOnBothStreams() throws Exception {
        assertEquals("one\ntwo\n", LocalProcess.output(List.of("sh", "-c", "echo one; echo two >&2"),
                Duration.ofSeconds(10)));
    }

    @Test
    void aFailedCommandsOutputIsItsError() {
        IOException e = assertThrows(IOException.class, () -> LocalProcess.output(List.of("sh", "-c",
                "echo 'no such disk' >&2; exit 3"), Duration.ofSeconds(10)));
        assertEquals("sh -c echo 'no such disk' >&2; exit 3 failed (exit 3): no such disk", e.getMessage());
    }

    @Test
    void aCommandPastItsTimeoutIsEndedWithItsChildren(@TempDir Path tmp) throws Exception {
        Path pids = tmp.resolve("pids");
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> LocalProcess.output(List.of("sh", "-c",
                "echo $$ >> " + pids + "; sleep 300 & echo $! >> " + pids + "; wait"), Duration.ofSeconds(1)));
        assertEquals("sh did not finish within 1 s", e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
        assertAllGone(pids);
    }

    /** No grace period: a tree that ignores TERM goes as quickly as one that does not, and is gone on return. */
    @Test
    void killTreeNowEndsATreeThatIgnoresTerm(@TempDir Path tmp) throws Exception {
        Path pids = tmp.resolve("pids");
        Process p = new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 300 & echo $! >> " + pids + "; wait").start();
        for (int i = 0; i < 100 && (!Files.exists(pids) || Files.readAllLines(pids).isEmpty()); i++) {
            Thread.sleep(50);
        }
        long start = System.nanoTime();
        LocalProcess.killTreeNow(p);
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "no grace period");
        assertFalse(p.isAlive());
        assertAllGone(pids);
        LocalProcess.killTreeNow(null);
    }

    @Test
    void onPathFindsBareNamesOnThePathAndTakesPathsAsTheyAre(@TempDir Path tmp) throws Exception {
        assertTrue(LocalProcess.onPath("sh").isPresent());
        assertEquals(Optional.empty(), LocalProcess.onPath("no-such-tool-of-ami-maven-plugin"));
        Path script = Files.writeString(tmp.resolve("tool"), "#!/bin/sh\n");
        assertEquals(Optional.empty(), LocalProcess.onPath(script.toString()), "not executable");
        assertTrue(script.toFile().setExecutable(true));
        assertEquals(Optional.of(script), LocalProcess.onPath(script.toString()));
    }

    @Test
    void killMentioningEndsADetachedProcessByItsCommandLine(@TempDir Path tmp) throws Exception {
        Path marker = Files.createDirectory(tmp.resolve("ami-cp-marker"));
        // as a ControlPersist master: no child of any process of ours, its control directory on its command line
        Process p = new ProcessBuilder("sh", "-c", "sleep 300; : " + marker).start();
        Thread.sleep(300);
        assertEquals(1, LocalProcess.killMentioning(marker.toString()));
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, LocalProcess.killMentioning(marker.toString()));
    }
}
