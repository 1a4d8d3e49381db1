package io.github.amimaven.steps;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.model.SourceSpec;

/**
 * An in-memory platform that remembers what exists and can fail (or block) at any call, for testing what the
 * pipeline leaves behind. Every call is recorded in order.
 */
class FakePlatform implements Platform {

    final Map<String, String> live = new LinkedHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<LaunchSpec> launched = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    String failAt;
    String blockAt;
    final CountDownLatch blocked = new CountDownLatch(1);

    private void enter(String call) {
        calls.add(call);
        if (call.equals(failAt)) {
            throw new PlatformException("injected failure in " + call, false);
        }
        if (call.equals(blockAt)) {
            blocked.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted in " + call, e);
            }
        }
    }

    private synchronized String create(String kind) {
        String id = kind + "-" + ids.incrementAndGet();
        live.put(id, kind);
        return id;
    }

    synchronized List<String> live() {
        return List.copyOf(live.keySet());
    }

    @Override public void keepRunning(String machineId) { calls.add("keepRunning " + machineId); }

    @Override public String id() { return "fake"; }
    @Override public String location() { return "fake-region"; }

    @Override
    public SourceImage resolveSource(SourceSpec source) {
        enter("resolveSource");
        return new SourceImage("ami-source", "source", "2026-01-01T00:00:00.000Z");
    }

    @Override
    public String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        enter("importKeyPair");
        synchronized (this) {
            live.put(name, "key");
        }
        return name;
    }

    @Override
    public synchronized void deleteKeyPair(String keyName) {
        calls.add("deleteKeyPair");
        live.remove(keyName);
    }

    @Override
    public Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        enter("createSshFirewall");
        return Optional.of(create("sg"));
    }

    @Override
    public synchronized void deleteFirewall(String firewallId) {
        calls.add("deleteFirewall");
        live.remove(firewallId);
    }

    @Override
    public String launch(LaunchSpec spec) {
        enter("launch");
        launched.add(spec);
        return create("i");
    }

    @Override
    public Machine awaitRunning(String machineId, Duration timeout) {
        enter("awaitRunning");
        return new Machine(machineId, "127.0.0.9", "127.0.0.10", null, null);
    }

    @Override public void stop(String machineId) { enter("stop"); }
    @Override public void awaitStopped(String machineId, Duration timeout) { enter("awaitStopped"); }
    @Override public void awaitGuestShutdown(String machineId, Duration timeout) { enter("awaitGuestShutdown"); }

    @Override
    public synchronized void terminate(String machineId) {
        calls.add("terminate");
        live.remove(machineId);
    }

    @Override public void awaitTerminated(String machineId, Duration timeout) { calls.add("awaitTerminated"); }

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags) {
        enter("createImage");
        return create("ami");
    }

    @Override
    public ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        enter("awaitImageAvailable");
        return new ImageInfo(imageId, "name", "available", "now", List.of("snap-1"));
    }

    @Override
    public synchronized void tagImage(String imageId, Map<String, String> tags) {
        calls.add("tagImage");
    }

    @Override
    public synchronized void deleteImage(String imageId) {
        calls.add("deleteImage");
        live.remove(imageId);
    }
}
