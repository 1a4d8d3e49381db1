package io.github.amimaven.log;

/**
 * Where the core writes what it does. The Maven mojos adapt this to Maven's log; tests collect it. The core
 * never writes to stdout itself, so every line passes through one place that can prefix and redact it.
 */
public interface BuildLog {

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    /** A log whose every line starts with {@code [prefix] }: how output of parallel images stays readable. */
    default BuildLog prefixed(String prefix) {
        BuildLog parent = this;
        String p = "[" + prefix + "] ";
        return new BuildLog() {
            @Override public void debug(String m) { parent.debug(p + m); }
            @Override public void info(String m) { parent.info(p + m); }
            @Override public void warn(String m) { parent.warn(p + m); }
            @Override public void error(String m) { parent.error(p + m); }
        };
    }
}
