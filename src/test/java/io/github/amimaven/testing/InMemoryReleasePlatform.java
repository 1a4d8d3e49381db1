package io.github.amimaven.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.amimaven.deploy.ImageCopy;
import io.github.amimaven.deploy.ImageRecord;
import io.github.amimaven.deploy.LaunchTemplateVersion;
import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.platform.PlatformException;

/**
 * The deploy phase's platform in memory, as EC2 behaves: images per region and account with their tags, launch and
 * create-volume permissions, deprecation and deregistration protection; copies that are pending until waited for,
 * the same copy for the same idempotency token, one image per name; SSM parameters; launch templates and their
 * versions; other accounts reached through a role. Every call is recorded, any one can be made to fail once (to
 * test what a re-run resumes), and the waits for copies can be held (to interrupt a deploy while it copies).
 *
 * <p>Calls are recorded as {@code method location}, with {@code as <account>} for another account's.</p>
 */
public final class InMemoryReleasePlatform implements ReleasePlatform {

    public static final String ACCOUNT = "111122223333";

    /** One image; the test seeds and reads it. */
    public static final class Image {
        public final String id;
        public final String account;
        public final String location;
        public final String name;
        public final String description;
        public final Instant created;
        /** The request that made it; null for a seeded image. */
        public final ImageCopy copiedBy;
        public final Map<String, String> tags = new LinkedHashMap<>();
        /** Accounts, organization and organizational unit ARNs that may launch it. */
        public final Set<String> launchPermissions = new LinkedHashSet<>();
        /** Accounts that may create volumes from its snapshot. */
        public final Set<String> createVolumePermissions = new LinkedHashSet<>();
        public String state;
        public Instant deprecateAt;
        public boolean deregistrationProtected;

        Image(String id, String account, String location, String name, String description, String state,
                Instant created, Map<String, String> tags, ImageCopy copiedBy) {
            this.id = id;
            this.account = account;
            this.location = location;
            this.name = name;
            this.description = description;
            this.state = state;
            this.created = created;
            this.tags.putAll(tags);
            this.copiedBy = copiedBy;
        }

        ImageRecord record() {
            return new ImageRecord(id, name, description, state, created, tags, List.of("snap-" + id.substring(4)),
                    deregistrationProtected);
        }
    }

    /** A launch template: the image id each version launches, in order, and which one is the default. */
    private static final class Template {
        final String id;
        final String name;
        final List<String> versions = new ArrayList<>();
        long defaultVersion = 1;

        Template(String id, String name, String imageId) {
            this.id = id;
            this.name = name;
            versions.add(imageId);
        }
    }

    /** What every account's view shares: the cloud. */
    private static final class World {
        final Map<String, Image> images = new LinkedHashMap<>();
        final Map<String, String> copiesByToken = new LinkedHashMap<>();
        final Map<String, Map<String, String>> parameters = new LinkedHashMap<>();
        final Map<String, List<Template>> templates = new LinkedHashMap<>();
        final Set<String> imagesInUse = new LinkedHashSet<>();
        final List<String> calls = new ArrayList<>();
        final Set<String> failOnce = new LinkedHashSet<>();
        final AtomicInteger ids = new AtomicInteger();
        CountDownLatch copiesHeld;
        final AtomicInteger waitingForCopies = new AtomicInteger();
    }

    private final World world;
    private final String home;
    private final String account;

    public InMemoryReleasePlatform(String home) {
        this(new World(), home, ACCOUNT);
    }

    private InMemoryReleasePlatform(World world, String home, String account) {
        this.world = world;
        this.home = home;
        this.account = account;
    }

    // ---- for the test ----

    /** An available image of this account, created now. */
    public String seedImage(String location, String name, Map<String, String> tags) {
        return seedImage(location, name, "available", Instant.now(), tags);
    }

    public String seedImage(String location, String name, String state, Instant created,
            Map<String, String> tags) {
        String id = newId("ami");
        synchronized (world) {
            world.images.put(id, new Image(id, account, location, name, "seeded", state, created, tags, null));
        }
        return id;
    }

    /** A launch template whose first version launches {@code imageId}; returns its id. */
    public String seedLaunchTemplate(String location, String name, String imageId) {
        String id = newId("lt");
        synchronized (world) {
            world.templates.computeIfAbsent(location, l -> new ArrayList<>()).add(new Template(id, name, imageId));
        }
        return id;
    }

    public Optional<Image> image(String id) {
        synchronized (world) {
            return Optional.ofNullable(world.images.get(id));
        }
    }

    /** This account's images in {@code location}, oldest first. */
    public List<Image> images(String location) {
        synchronized (world) {
            return world.images.values().stream().filter(i -> i.account.equals(account) && i.location.equals(location))
                    .toList();
        }
    }

    /** The image ids each version of the template launches, and its default version. */
    public List<String> launchTemplateVersions(String location, String name) {
        synchronized (world) {
            return List.copyOf(template(location, null, name).versions);
        }
    }

    public long launchTemplateDefault(String location, String name) {
        synchronized (world) {
            return template(location, null, name).defaultVersion;
        }
    }

    /** SSM parameter name to value in {@code location}. */
    public Map<String, String> parameters(String location) {
        synchronized (world) {
            return Map.copyOf(world.parameters.getOrDefault(location, Map.of()));
        }
    }

    public void markInUse(String imageId) {
        synchronized (world) {
            world.imagesInUse.add(imageId);
        }
    }

    /** Every call of every account so far, in order: {@code copy us-east-1}, {@code copy us-east-1 as 444455556666}. */
    public List<String> calls() {
        synchronized (world) {
            return List.copyOf(world.calls);
        }
    }

    /** How many calls were exactly {@code call}. */
    public long count(String call) {
        return calls().stream().filter(call::equals).count();
    }

    /** The next call that is exactly {@code call} fails. */
    public void failOnce(String call) {
        synchronized (world) {
            world.failOnce.add(call);
        }
    }

    /** Waits for copies block until {@link #releaseCopies()}, or until their thread is interrupted. */
    public void holdCopies() {
        synchronized (world) {
            world.copiesHeld = new CountDownLatch(1);
        }
    }

    public void releaseCopies() {
        synchronized (world) {
            world.copiesHeld.countDown();
        }
    }

    /** How many waits for a copy are held now. */
    public int heldWaits() {
        return world.waitingForCopies.get();
    }

    // ---- the platform ----

    @Override
    public String id() {
        return "memory";
    }

    @Override
    public String home() {
        return home;
    }

    @Override
    public Optional<ImageRecord> find(String location, String imageId) {
        synchronized (world) {
            enter("find", location);
            return visible(location, imageId).map(Image::record);
        }
    }

    @Override
    public Optional<ImageRecord> findOwnByName(String location, String name) {
        synchronized (world) {
            enter("findOwnByName", location);
            return ownByName(location, name).map(Image::record);
        }
    }

    @Override
    public List<ImageRecord> findOwnByTags(String location, Map<String, String> tags) {
        synchronized (world) {
            enter("findOwnByTags", location);
            return images(location).stream()
                    .filter(i -> tags.entrySet().stream().allMatch(t -> t.getValue().equals(i.tags.get(t.getKey()))))
                    .map(Image::record).toList();
        }
    }

    @Override
    public void tag(String location, String imageId, Map<String, String> tags) {
        synchronized (world) {
            enter("tag", location);
            own(location, imageId).tags.putAll(tags);
        }
    }

    @Override
    public void delete(String location, String imageId) {
        synchronized (world) {
            enter("delete", location);
            world.images.values().removeIf(i -> i.id.equals(imageId) && i.account.equals(account));
        }
    }

    @Override
    public String copy(ImageCopy copy) {
        synchronized (world) {
            enter("copy", copy.targetLocation());
            String earlier = world.copiesByToken.get(account + copy.idempotencyToken());
            if (earlier != null) {
                return earlier;
            }
            if (visible(copy.sourceLocation(), copy.sourceImageId()).isEmpty()) {
                throw new PlatformException("image " + copy.sourceImageId() + " is not visible to " + account + " in "
                        + copy.sourceLocation(), false);
            }
            if (ownByName(copy.targetLocation(), copy.name()).isPresent()) {
                throw new PlatformException("an image named " + copy.name() + " exists already in "
                        + copy.targetLocation(), false);
            }
            String id = newId("ami");
            world.images.put(id, new Image(id, account, copy.targetLocation(), copy.name(), copy.description(),
                    "pending", Instant.now(), copy.tags(), copy));
            world.copiesByToken.put(account + copy.idempotencyToken(), id);
            return id;
        }
    }

    @Override
    public ImageRecord awaitAvailable(String location, String imageId, Duration timeout) {
        CountDownLatch held;
        synchronized (world) {
            enter("awaitAvailable", location);
            held = world.copiesHeld;
        }
        if (held != null) {
            world.waitingForCopies.incrementAndGet();
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PlatformException("interrupted while waiting for " + imageId + " in " + location, e);
            } finally {
                world.waitingForCopies.decrementAndGet();
            }
        }
        synchronized (world) {
            Image image = own(location, imageId);
            if (image.state.equals("failed")) {
                throw new PlatformException("image " + imageId + " failed in " + location, false);
            }
            image.state = "available";
            return image.record();
        }
    }

    @Override
    public void share(String location, ImageRecord image, ReleaseSpec.Sharing sharing) {
        synchronized (world) {
            enter("share", location);
            Image shared = own(location, image.id());
            shared.launchPermissions.addAll(sharing.accounts());
            shared.launchPermissions.addAll(sharing.organizations());
            shared.launchPermissions.addAll(sharing.organizationalUnits());
            if (sharing.createVolumePermission()) {
                shared.createVolumePermissions.addAll(sharing.accounts());
            }
        }
    }

    @Override
    public void putParameter(String location, String name, String imageId) {
        synchronized (world) {
            enter("putParameter", location);
            world.parameters.computeIfAbsent(location, l -> new LinkedHashMap<>()).put(name, imageId);
        }
    }

    @Override
    public LaunchTemplateVersion newLaunchTemplateVersion(String location, ReleaseSpec.LaunchTemplateTarget target,
            String imageId, String description) {
        synchronized (world) {
            enter("newLaunchTemplateVersion", location);
            Template t = template(location, target.id(), target.name());
            boolean created = !t.versions.get(t.versions.size() - 1).equals(imageId);
            if (created) {
                t.versions.add(imageId);
            }
            if (target.setDefault()) {
                t.defaultVersion = t.versions.size();
            }
            return new LaunchTemplateVersion(location, t.id, t.name, t.versions.size(),
                    t.defaultVersion == t.versions.size(), imageId, created);
        }
    }

    @Override
    public Optional<String> parameterValue(String location, String name) {
        synchronized (world) {
            enter("parameterValue", location);
            return Optional.ofNullable(world.parameters.getOrDefault(location, Map.of()).get(name));
        }
    }

    @Override
    public Optional<LaunchTemplateVersion> latestLaunchTemplateVersion(String location,
            ReleaseSpec.LaunchTemplateTarget target) {
        synchronized (world) {
            enter("latestLaunchTemplateVersion", location);
            return world.templates.getOrDefault(location, List.of()).stream()
                    .filter(t -> t.id.equals(target.id()) || t.name.equals(target.name())).findFirst()
                    .map(t -> new LaunchTemplateVersion(location, t.id, t.name, t.versions.size(),
                            t.defaultVersion == t.versions.size(), t.versions.get(t.versions.size() - 1), false));
        }
    }

    @Override
    public void deprecate(String location, String imageId, Instant at) {
        synchronized (world) {
            enter("deprecate", location);
            own(location, imageId).deprecateAt = at;
        }
    }

    @Override
    public void protectFromDeregistration(String location, String imageId) {
        synchronized (world) {
            enter("protectFromDeregistration", location);
            own(location, imageId).deregistrationProtected = true;
        }
    }

    @Override
    public Set<String> imagesInUse(String location) {
        synchronized (world) {
            enter("imagesInUse", location);
            return Set.copyOf(world.imagesInUse);
        }
    }

    /** The account of the role's ARN, {@code arn:aws:iam::<account>:role/<name>}. */
    @Override
    public ReleasePlatform asRole(String roleArn) {
        return new InMemoryReleasePlatform(world, home, roleArn.split(":")[4]);
    }

    // ---- plumbing, under the world's lock ----

    private void enter(String method, String location) {
        String call = method + " " + location + (account.equals(ACCOUNT) ? "" : " as " + account);
        world.calls.add(call);
        if (world.failOnce.remove(call)) {
            throw new PlatformException("injected failure: " + call, false);
        }
    }

    private Optional<Image> visible(String location, String imageId) {
        return Optional.ofNullable(world.images.get(imageId)).filter(i -> i.location.equals(location)
                && (i.account.equals(account) || i.launchPermissions.contains(account)));
    }

    private Optional<Image> ownByName(String location, String name) {
        return images(location).stream().filter(i -> i.name.equals(name)).findFirst();
    }

    private Image own(String location, String imageId) {
        Image image = world.images.get(imageId);
        if (image == null || !image.account.equals(account) || !image.location.equals(location)) {
            throw new PlatformException("image " + imageId + " does not exist in " + location, false);
        }
        return image;
    }

    private Template template(String location, String id, String name) {
        return world.templates.getOrDefault(location, List.of()).stream()
                .filter(t -> t.id.equals(id) || t.name.equals(name)).findFirst()
                .orElseThrow(() -> new PlatformException("launch template " + (id != null ? id : name)
                        + " does not exist in " + location + ": check <deploy>/<launchTemplates>", true));
    }

    private String newId(String prefix) {
        return String.format("%s-%08x", prefix, world.ids.incrementAndGet());
    }
}
