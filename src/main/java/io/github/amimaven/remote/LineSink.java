package io.github.amimaven.remote;

/** Receives a command's output one line at a time, without the line ending. */
@FunctionalInterface
public interface LineSink {

    void line(String line);
}
