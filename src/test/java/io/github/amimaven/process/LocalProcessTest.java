package io.github.amimaven.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessTest {

    @Test
    void streamsLinesAndReturnsTheExitCode() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        int exit = LocalProcess.run(List.of("sh", "-c", "echo one; echo two >&2; exit 3"), null, null, lines::add);
        assertEquals(3, exit);
        assertEquals(List.of("one", "two"), lines);
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
        assertThrows(InterruptedException.class, () -> LocalProcess.run(List.of("sh", "-c",
                "sleep 300 & echo $! >> " + pids + "; sh -c 'echo $$ >> " + pids + "; exec sleep 300' & wait"),
                null, null, l -> { }));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 10_000);
        for (String pid : Files.readAllLines(pids)) {
            var handle = ProcessHandle.of(Long.parseLong(pid.strip()));
            if (handle.isPresent()) {
                handle.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertFalse(handle.get().isAlive(), "child " + pid + " outlived the tool");
            }
        }
    }

    @Test
    void killMentioningEndsADetachedProcessByItsCommandLine(@TempDir Path tmp) throws Exception {
        Path marker = Files.createDirectory(tmp.resolve("ami-cp-marker"));
        // as a ControlPersist master: no child of any process of ours, its control directory on its command line
        Process p = new ProcessBuilder("sh", "-c", "sleep 300; : " + marker).start();
        Thread.sleep(300);
        assertEquals(1, LocalProcess.killMentioning(marker.toString()));
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, LocalProcess.killMentioning(marker.toString()));
    }
}
