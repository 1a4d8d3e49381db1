package io.github.amimaven.process;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads that never keep the JVM alive, so that Maven exits even when work is still waiting on one. */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Daemon threads named {@code name-1}, {@code name-2}, … in the order they start. */
    public static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
