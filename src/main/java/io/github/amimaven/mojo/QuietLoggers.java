package io.github.amimaven.mojo;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps loggers at INFO while goals run, even under {@code mvn -X}. Maven 3.8 logs through its own SLF4J simple
 * logger, which reads a logger's level from the system property {@code org.slf4j.simpleLogger.log.<name>} (for
 * its name or the nearest name above it) when the logger is made: the libraries of the plugin make theirs when
 * their classes are first used, during a goal. A level the user set on the command line is left as it is. The
 * properties stay until the last goal running at the same time (a parallel build's modules) is done.
 */
final class QuietLoggers implements AutoCloseable {

    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.";

    private static final List<String> SET = new ArrayList<>();
    private static int running;

    private QuietLoggers() {
    }

    /** Sets the loggers named (and those below them) to INFO until {@link #close()}. */
    static QuietLoggers atInfo(List<String> names) {
        synchronized (SET) {
            if (running++ == 0) {
                for (String name : names) {
                    String property = LEVEL_PROPERTY + name;
                    if (System.getProperty(property) == null) {
                        System.setProperty(property, "info");
                        SET.add(property);
                    }
                }
            }
        }
        return new QuietLoggers();
    }

    /** Once no goal runs, leaves the properties as they were; loggers made meanwhile keep INFO. */
    @Override
    public void close() {
        synchronized (SET) {
            if (--running == 0) {
                SET.forEach(System::clearProperty);
                SET.clear();
            }
        }
    }
}
