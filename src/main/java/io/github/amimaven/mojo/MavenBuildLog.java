package io.github.amimaven.mojo;

import org.apache.maven.plugin.logging.Log;

import io.github.amimaven.log.BuildLog;

/** The core's log on Maven's; synchronized so lines of parallel images never interleave mid-line. */
final class MavenBuildLog implements BuildLog {

    private final Log log;

    MavenBuildLog(Log log) {
        this.log = log;
    }

    @Override
    public synchronized void debug(String message) {
        log.debug(message);
    }

    @Override
    public synchronized void info(String message) {
        log.info(message);
    }

    @Override
    public synchronized void warn(String message) {
        log.warn(message);
    }

    @Override
    public synchronized void error(String message) {
        log.error(message);
    }
}
