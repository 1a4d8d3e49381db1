package io.github.amimaven.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Makes a second Ctrl-C say what is being cleaned. The JVM turns the first SIGINT (or SIGTERM) into a shutdown
 * whose hooks run the cleanups; a second one is swallowed by the shutdown already under way, so a user who presses
 * Ctrl-C again sees nothing and reaches for {@code kill -9}, which leaks. With {@code sun.misc.Signal} (in every
 * OpenJDK-based JVM) this handler passes the first signal on to the JVM's own handler and answers later ones, while
 * a build is active, by printing what its cleanup still holds. Without it (another JVM, {@code -Xrs}) the first
 * Ctrl-C still cleans up; only the report is missing.
 */
public final class SecondInterrupt {

    private static final Set<Runnable> REPORTERS = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static final AtomicInteger SIGNALS = new AtomicInteger();

    private SecondInterrupt() {
    }

    /** Runs {@code reporter} on every Ctrl-C after the first until the returned handle is closed. */
    public static AutoCloseable track(Runnable reporter) {
        install();
        REPORTERS.add(reporter);
        return () -> REPORTERS.remove(reporter);
    }

    private static void install() {
        if (!INSTALLED.compareAndSet(false, true)) {
            return;
        }
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                Forwarder forwarder = new Forwarder();
                SignalHandler original = Signal.handle(signal, forwarder);
                if (original == SignalHandler.SIG_DFL || original == SignalHandler.SIG_IGN) {
                    // not the JVM's shutdown handler (signals handed to the OS, or ignored): leave it as it was
                    Signal.handle(signal, original);
                } else {
                    forwarder.original = original;
                }
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                // -Xrs, or a JVM without sun.misc.Signal: the first Ctrl-C still runs the cleanup
            }
        }
    }

    /** True once a signal was seen while a build was active: the shutdown is under way. */
    public static boolean shuttingDown() {
        return SIGNALS.get() > 0;
    }

    private static final class Forwarder implements SignalHandler {
        volatile SignalHandler original;

        @Override
        public void handle(Signal signal) {
            if (!REPORTERS.isEmpty() && SIGNALS.getAndIncrement() > 0) {
                REPORTERS.forEach(Runnable::run);
                return;
            }
            SignalHandler o = original;
            if (o != null) {
                o.handle(signal); // the JVM's: starts the shutdown and runs the hooks on this thread
            } else {
                Runtime.getRuntime().exit(128 + signal.getNumber());
            }
        }
    }
}
