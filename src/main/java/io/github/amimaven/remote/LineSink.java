package io.github.amimaven.remote;

import io.github.amimaven.log.Secrets;

/** Receives a command's output one line at a time, without the line ending. */
@FunctionalInterface
public interface LineSink {

    void line(String line);

    /**
     * The sink behind {@link Secrets#global()}: output of commands (remote or local) is masked where it enters the
     * build, before anyone logs, parses or quotes it.
     */
    static LineSink redacting(LineSink sink) {
        return line -> sink.line(Secrets.global().redact(line));
    }
}
