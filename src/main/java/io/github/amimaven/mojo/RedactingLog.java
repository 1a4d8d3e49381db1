package io.github.amimaven.mojo;

import org.apache.maven.plugin.logging.Log;

import io.github.amimaven.log.Secrets;

/** Maven's log behind {@link Secrets}: every line a goal writes, and every exception it logs, is masked. */
final class RedactingLog implements Log {

    private final Log log;
    private final Secrets secrets;

    RedactingLog(Log log, Secrets secrets) {
        this.log = log;
        this.secrets = secrets;
    }

    private CharSequence mask(CharSequence content) {
        return content == null ? null : secrets.redact(content.toString());
    }

    private Throwable mask(Throwable error) {
        return secrets.redact(error);
    }

    @Override public boolean isDebugEnabled() { return log.isDebugEnabled(); }
    @Override public void debug(CharSequence content) { log.debug(mask(content)); }
    @Override public void debug(CharSequence content, Throwable error) { log.debug(mask(content), mask(error)); }
    @Override public void debug(Throwable error) { log.debug(mask(error)); }

    @Override public boolean isInfoEnabled() { return log.isInfoEnabled(); }
    @Override public void info(CharSequence content) { log.info(mask(content)); }
    @Override public void info(CharSequence content, Throwable error) { log.info(mask(content), mask(error)); }
    @Override public void info(Throwable error) { log.info(mask(error)); }

    @Override public boolean isWarnEnabled() { return log.isWarnEnabled(); }
    @Override public void warn(CharSequence content) { log.warn(mask(content)); }
    @Override public void warn(CharSequence content, Throwable error) { log.warn(mask(content), mask(error)); }
    @Override public void warn(Throwable error) { log.warn(mask(error)); }

    @Override public boolean isErrorEnabled() { return log.isErrorEnabled(); }
    @Override public void error(CharSequence content) { log.error(mask(content)); }
    @Override public void error(CharSequence content, Throwable error) { log.error(mask(content), mask(error)); }
    @Override public void error(Throwable error) { log.error(mask(error)); }
}
