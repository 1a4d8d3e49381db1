package io.github.amimaven.testing;

import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.platform.TaggedResource;

/**
 * An in-memory platform that remembers what exists and can fail (or block) at any call, for testing what the steps
 * and the orphan sweep do with a platform and what they leave behind. Every call is recorded in order. Ids are
 * numbered in order of creation across kinds ({@code sg-1}, {@code i-2}, {@code ami-3}).
 */
public class FakePlatform implements Platform {

    /** Every call in order, by name: {@code launch}, {@code terminate}. */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** The same calls with the id or name each was given, where it was given one: {@code terminate i-2}. */
    public final List<String> callsWithArguments = new CopyOnWriteArrayList<>();
    /** What each {@link #launch} was asked for, in order. */
    public final List<LaunchSpec> launched = new CopyOnWriteArrayList<>();
    /** The tags each image was given through {@link #tagImage}, in order. */
    public final Map<String, Map<String, String>> imageTags = new java.util.concurrent.ConcurrentHashMap<>();
    /** What {@link #findTagged} lists, whatever the project. */
    public final List<TaggedResource> tagged = new CopyOnWriteArrayList<>();
    /** What {@link #windowsPassword} answers, one a poll; once empty, the password is not posted yet. */
    public final Deque<Optional<String>> windowsPasswords = new ConcurrentLinkedDeque<>();
    /** The call that fails with a {@link PlatformException}: its name, or its name with its argument. */
    public volatile String failAt;
    /** The call that blocks (until interrupted, 60 s at most) after counting down {@link #blocked}. */
    public volatile String blockAt;
    public final CountDownLatch blocked = new CountDownLatch(1);
    /** What {@link #whyNotRunning} says of every machine; null while they run. */
    public volatile String diedBecause;
    /** What {@link #consoleOutput} shows of every machine; null: none. */
    public volatile String console;
    /** How often the build asks {@link #whyNotRunning}; null: as real platforms. */
    public volatile Duration watchInterval;
    /** Whether a machine ends by itself once asked to terminate, as on EC2. */
    public volatile boolean terminationCompletesOnItsOwn;

    private final String id;
    private final String location;
    private final Map<String, String> live = new LinkedHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public FakePlatform() {
        this("fake", "fake-region");
    }

    public FakePlatform(String id, String location) {
        this.id = id;
        this.location = location;
    }

    /** The ids of what exists now, in order of creation. */
    public synchronized List<String> live() {
        return List.copyOf(live.keySet());
    }

    /** Something that exists before the test starts, such as a candidate image ({@code kind} {@code ami}). */
    public synchronized void holds(String id, String kind) {
        live.put(id, kind);
    }

    private void enter(String call) {
        enter(call, null);
    }

    private void enter(String call, String argument) {
        String withArgument = argument == null ? call : call + " " + argument;
        calls.add(call);
        callsWithArguments.add(withArgument);
        if (call.equals(failAt) || withArgument.equals(failAt)) {
            throw new PlatformException("injected failure in " + failAt, false);
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
        String created = kind + "-" + ids.incrementAndGet();
        live.put(created, kind);
        return created;
    }

    private synchronized void gone(String resource) {
        live.remove(resource);
    }

    @Override public String id() { return id; }
    @Override public String location() { return location; }

    @Override
    public SourceImage resolveSource(SourceSpec source) {
        enter("resolveSource");
        return new SourceImage("ami-source", "source", "2026-01-01T00:00:00.000Z");
    }

    @Override
    public String importKeyPair(String name, String publicKeyOpenSsh, Map<String, String> tags) {
        enter("importKeyPair", name);
        synchronized (this) {
            live.put(name, "key");
        }
        return name;
    }

    @Override
    public void deleteKeyPair(String keyName) {
        enter("deleteKeyPair", keyName);
        gone(keyName);
    }

    @Override
    public Optional<String> createSshFirewall(String name, List<String> cidrs, int port, Optional<String> subnetId,
            Map<String, String> tags) {
        enter("createSshFirewall", name);
        return Optional.of(create("sg"));
    }

    @Override
    public void deleteFirewall(String firewallId) {
        enter("deleteFirewall", firewallId);
        gone(firewallId);
    }

    @Override
    public String launch(LaunchSpec spec) {
        enter("launch");
        launched.add(spec);
        return create("i");
    }

    @Override
    public Machine awaitRunning(String machineId, Duration timeout) {
        enter("awaitRunning", machineId);
        return new Machine(machineId, "127.0.0.9", "127.0.0.10", null, null);
    }

    @Override public void stop(String machineId) { enter("stop", machineId); }
    @Override public void awaitStopped(String machineId, Duration timeout) { enter("awaitStopped", machineId); }

    @Override
    public void awaitGuestShutdown(String machineId, Duration timeout) {
        enter("awaitGuestShutdown", machineId);
    }

    @Override public void stopOnGuestShutdown(String machineId) { enter("stopOnGuestShutdown", machineId); }
    @Override public void keepRunning(String machineId) { enter("keepRunning", machineId); }

    @Override
    public void terminate(String machineId) {
        enter("terminate", machineId);
        gone(machineId);
    }

    @Override public void awaitTerminated(String machineId, Duration timeout) { enter("awaitTerminated", machineId); }

    @Override
    public boolean terminationCompletesOnItsOwn() {
        return terminationCompletesOnItsOwn;
    }

    @Override
    public Optional<String> windowsPassword(String machineId, byte[] privateKey) {
        enter("windowsPassword", machineId);
        if (privateKey == null) {
            throw new IllegalArgumentException("the build's private key decrypts the password");
        }
        Optional<String> next = windowsPasswords.poll();
        return next == null ? Optional.empty() : next;
    }

    @Override
    public Optional<String> consoleOutput(String machineId) {
        return Optional.ofNullable(console);
    }

    @Override
    public Optional<String> whyNotRunning(String machineId) {
        return Optional.ofNullable(diedBecause);
    }

    @Override
    public Duration watchInterval() {
        Duration interval = watchInterval;
        return interval == null ? Platform.super.watchInterval() : interval;
    }

    @Override
    public String createImage(String machineId, String name, String description, Map<String, String> tags) {
        enter("createImage", machineId);
        return create("ami");
    }

    @Override
    public ImageInfo awaitImageAvailable(String imageId, Duration timeout) {
        enter("awaitImageAvailable", imageId);
        return new ImageInfo(imageId, "name", "available", "now", List.of("snap-1"));
    }

    @Override
    public void tagImage(String imageId, Map<String, String> tags) {
        enter("tagImage", imageId);
        imageTags.computeIfAbsent(imageId, i -> new LinkedHashMap<>()).putAll(tags);
    }

    @Override
    public void deleteImage(String imageId) {
        enter("deleteImage", imageId);
        gone(imageId);
    }

    @Override
    public List<TaggedResource> findTagged(String project) {
        enter("findTagged", String.valueOf(project));
        return List.copyOf(tagged);
    }

    @Override
    public void remove(TaggedResource resource) {
        if (resource.kind() == TaggedResource.Kind.SNAPSHOT) {
            enter("deleteSnapshot", resource.id());
        } else {
            Platform.super.remove(resource);
        }
    }
}
