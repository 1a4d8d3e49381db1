package io.github.amimaven.platform.local;

import java.util.concurrent.CompletableFuture;

/** A capture of a stopped VM's disk into an image of the store, running in the background. */
final class Capture {
    final String imageId;
    final Vm vm;
    volatile CompletableFuture<Void> future;
    volatile Process process;
    volatile boolean cancelled;

    Capture(String imageId, Vm vm) {
        this.imageId = imageId;
        this.vm = vm;
    }
}
