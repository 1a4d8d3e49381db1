package io.github.amimaven.testing.ec2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Everything the endpoint knows about one access key id (an "account"): its resources per region, its
 * configuration and faults, and how many requests it made. Parallel tests use different access keys and so
 * never see each other.
 *
 * <p>All state of an account is guarded by this object's monitor: handlers and delayed transitions run while
 * holding it, so an account behaves as if its requests were served one at a time.</p>
 */
public final class AccountState {

    /** The delayed state transitions, each with its own configurable delay. */
    public enum Transition {
        /** instance pending → running (launch and start) */
        INSTANCE_PENDING,
        /** instance stopping → stopped */
        INSTANCE_STOPPING,
        /** instance shutting-down → terminated */
        INSTANCE_SHUTTING_DOWN,
        /** how long a terminated instance stays visible */
        TERMINATED_RETENTION,
        /** image pending → available (or failed) after CreateImage/RegisterImage */
        IMAGE_PENDING,
        /** copied image pending → available after CopyImage */
        IMAGE_COPY,
        /** instance of a Windows image running → its Administrator password posted (GetPasswordData) */
        WINDOWS_PASSWORD
    }

    /**
     * Answers a client may meet that are not EC2's (nor STS's or SSM's) own: what a proxy, a load balancer or a
     * broken front end in between sends. None of them carries out the call.
     */
    public enum BrokenAnswer {
        /** the status with an HTML page, as a proxy or load balancer answers */
        HTML,
        /** the status with an empty body */
        EMPTY,
        /** no answer at all: the connection is closed as soon as the request has been read */
        RESET,
        /**
         * the status with the first half of the body the service would have sent: its response to the call below
         * 300, its error envelope from 300
         */
        TRUNCATED
    }

    /**
     * The host key blocks cloud-init prints to the console: the instance sshd's real keys, another key's (a machine
     * in the middle), or none (an image without cloud-init).
     */
    public enum ConsoleHostKeys {
        REAL, WRONG, NONE
    }

    /** Mutable per-account settings; changes apply to the next request or transition. */
    public static final class Config {
        private final Map<Transition, Duration> delays = new EnumMap<>(Transition.class);
        private volatile boolean sshEnabled;
        private volatile int sshPort = 2222;
        private volatile boolean vmEnabled;
        private volatile ConsoleHostKeys consoleHostKeys = ConsoleHostKeys.REAL;
        private volatile Duration guestShutdownAfter;
        final FaultInjector faults = new FaultInjector();

        Config() {
            reset();
        }

        synchronized void reset() {
            for (Transition t : Transition.values()) {
                delays.put(t, Duration.ofMillis(300));
            }
            delays.put(Transition.TERMINATED_RETENTION, Duration.ofMinutes(10));
            sshEnabled = false;
            sshPort = 2222;
            vmEnabled = false;
            consoleHostKeys = ConsoleHostKeys.REAL;
            guestShutdownAfter = null;
            faults.clear();
        }

        public synchronized Config delay(Transition transition, Duration delay) {
            delays.put(transition, delay);
            return this;
        }

        /** Sets every delay except the terminated-instance retention. */
        public synchronized Config allDelays(Duration delay) {
            for (Transition t : Transition.values()) {
                if (t != Transition.TERMINATED_RETENTION) {
                    delays.put(t, delay);
                }
            }
            return this;
        }

        public synchronized Duration delay(Transition transition) {
            return delays.get(transition);
        }

        /** SSH mode: a real sshd per running instance, on its private and public address and this port. */
        public Config ssh(boolean enabled, int port) {
            this.sshEnabled = enabled;
            this.sshPort = port;
            return this;
        }

        /**
         * VM mode: each instance is a QEMU VM booted from its AMI's disk (see {@link ImageSeed#disk}), with SSH
         * forwarded from its addresses and this port; CreateImage captures the stopped VM's disk.
         */
        public Config vm(boolean enabled, int port) {
            this.vmEnabled = enabled;
            this.sshPort = port;
            return this;
        }

        public boolean vmEnabled() {
            return vmEnabled;
        }

        public boolean sshEnabled() {
            return sshEnabled;
        }

        public int sshPort() {
            return sshPort;
        }

        /**
         * Answers {@code fraction} of the calls (of {@code actions} only, when given) with RequestLimitExceeded
         * (HTTP 503), drawing from a random seeded with {@code seed}.
         */
        public Config throttle(double fraction, long seed, String... actions) {
            faults.throttle(fraction, seed, Set.of(actions));
            return this;
        }

        /** Fails {@code action} ({@code *}: every action) the next {@code times} times (0: always) with this error. */
        public Config fail(String action, String code, String message, int httpStatus, int times) {
            faults.fail(action, code, message, httpStatus, times);
            return this;
        }

        /**
         * Answers {@code action} ({@code *}: every action) the next {@code times} times (0: always) with {@code answer}
         * and HTTP status {@code httpStatus} instead of serving it.
         */
        public Config brokenAnswer(String action, BrokenAnswer answer, int httpStatus, int times) {
            faults.brokenAnswer(action, answer, httpStatus, times);
            return this;
        }

        /**
         * RunInstances answers {@code InsufficientInstanceCapacity} (HTTP 500, as EC2 does) for {@code instanceType}
         * on spot capacity ({@code spot}) or on demand.
         */
        public Config noCapacity(String instanceType, boolean spot) {
            faults.noCapacity(instanceType, spot);
            return this;
        }

        /** RunInstances answers {@code Unsupported} for {@code instanceType}: the zone does not offer it. */
        public Config unsupported(String instanceType) {
            faults.unsupported(instanceType);
            return this;
        }

        /** Images created, copied or registered from now on end in state {@code failed}. */
        public Config imagesFail(boolean fail) {
            faults.imagesFail(fail);
            return this;
        }

        /** Every call of {@code action} ({@code *}: of every action) waits this long before it is handled. */
        public Config latency(String action, Duration delay) {
            faults.latency(action, delay);
            return this;
        }

        /** Removes all faults (throttling, failures, failing images, latency, console host keys). */
        public Config clearFaults() {
            faults.clear();
            consoleHostKeys = ConsoleHostKeys.REAL;
            return this;
        }

        /** What the console output of instances (SSH mode) says about their sshd's host keys. */
        public Config consoleHostKeys(ConsoleHostKeys mode) {
            this.consoleHostKeys = mode;
            return this;
        }

        public ConsoleHostKeys consoleHostKeys() {
            return consoleHostKeys;
        }

        /**
         * Instances launched from now on power themselves off this long after they run, as user data that ends with
         * a power-off does: they stop or terminate by their instance-initiated shutdown behaviour. Null (the
         * default): they never do.
         */
        public Config guestShutdownAfter(Duration afterRunning) {
            this.guestShutdownAfter = afterRunning;
            return this;
        }

        public Duration guestShutdownAfter() {
            return guestShutdownAfter;
        }
    }

    private final String accessKeyId;
    private final String accountId;
    private final Config config = new Config();
    private final Map<String, RegionState> regions = new TreeMap<>();
    private final Map<String, Integer> requestCounts = new TreeMap<>();
    private final Map<String, Integer> throttledCounts = new TreeMap<>();
    private final Map<String, Integer> failedCounts = new TreeMap<>();
    private final Map<String, Map<String, String>> lastRequests = new TreeMap<>();
    private final List<String> calls = new ArrayList<>();
    private final Map<String, List<Map<String, String>>> requestHistory = new TreeMap<>();
    private final Ec2TestEndpoint endpoint;

    AccountState(String accessKeyId, Ec2TestEndpoint endpoint) {
        this.accessKeyId = accessKeyId;
        this.accountId = accountIdOf(accessKeyId);
        this.endpoint = endpoint;
    }

    /** A stable 12-digit account id derived from the access key id, so runs and JVMs agree on it. */
    static String accountIdOf(String accessKeyId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(accessKeyId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return String.format("%012d", Math.floorMod(v, 1_000_000_000_000L));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accountId() {
        return accountId;
    }

    public Config config() {
        return config;
    }

    synchronized RegionState region(String region) {
        return regions.computeIfAbsent(region, r -> new RegionState(r, accountId));
    }

    /** The regions this account has touched. */
    public synchronized Set<String> regions() {
        return new TreeSet<>(regions.keySet());
    }

    // ---- seeding ----

    /** A source image to seed, e.g. a distribution's AMI owned by another account. */
    public static final class ImageSeed {
        final String region;
        final String name;
        String ownerId;
        Instant creationDate = Instant.now();
        final Map<String, String> tags = new LinkedHashMap<>();
        String architecture = "x86_64";
        String state = "available";
        String description;
        Boolean isPublic;
        String rootDeviceName = "/dev/xvda";
        int volumeSize = 8;
        String virtualizationType = "hvm";
        String platform;
        String disk;

        public ImageSeed(String region, String name) {
            this.region = region;
            this.name = name;
        }

        /** VM mode: the disk image file (qcow2 or raw) that instances of this AMI boot from. */
        public ImageSeed disk(String disk) {
            this.disk = disk;
            return this;
        }

        /** A 12-digit account id, or {@code self}; default: the seeding account itself. */
        public ImageSeed ownerId(String ownerId) {
            this.ownerId = ownerId;
            return this;
        }

        public ImageSeed creationDate(Instant creationDate) {
            this.creationDate = creationDate;
            return this;
        }

        public ImageSeed tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public ImageSeed tags(Map<String, String> tags) {
            this.tags.putAll(tags);
            return this;
        }

        public ImageSeed architecture(String architecture) {
            this.architecture = architecture;
            return this;
        }

        /** available (default), pending or failed. */
        public ImageSeed state(String state) {
            this.state = state;
            return this;
        }

        public ImageSeed description(String description) {
            this.description = description;
            return this;
        }

        /** Default: public when owned by another account, as distribution images are. */
        public ImageSeed isPublic(boolean isPublic) {
            this.isPublic = isPublic;
            return this;
        }

        public ImageSeed rootDevice(String deviceName, int volumeSizeGiB) {
            this.rootDeviceName = deviceName;
            this.volumeSize = volumeSizeGiB;
            return this;
        }

        public ImageSeed virtualizationType(String virtualizationType) {
            this.virtualizationType = virtualizationType;
            return this;
        }

        /** {@code windows} for a Windows image: its instances post an Administrator password (GetPasswordData). */
        public ImageSeed platform(String platform) {
            this.platform = platform;
            return this;
        }
    }

    public String seedImage(String region, String name, String ownerId, Instant creationDate) {
        return seedImage(new ImageSeed(region, name).ownerId(ownerId).creationDate(creationDate));
    }

    /** Adds a launch template whose one version launches {@code imageId}, as if it existed before the test. */
    public synchronized String seedLaunchTemplate(String region, String name, String imageId) {
        Resources.LaunchTemplate t = new Resources.LaunchTemplate();
        t.id = RegionState.newId("lt-");
        t.name = name;
        t.createTime = Instant.now();
        t.defaultVersion = 1;
        t.versions.put(1L, new Resources.LaunchTemplateVersion(1, null, Map.of("ImageId", imageId), t.createTime));
        region(region).launchTemplates.put(t.id, t);
        return t.id;
    }

    /** Adds an SSM parameter of data type {@code aws:ec2:image}, as if it existed before the test. */
    public synchronized void seedParameter(String region, String name, String imageId) {
        Resources.Parameter p = new Resources.Parameter();
        p.name = name;
        p.value = imageId;
        p.type = "String";
        p.dataType = "aws:ec2:image";
        p.version = 1;
        p.lastModified = Instant.now();
        region(region).parameters.put(name, p);
    }

    /** Adds an image (with its root snapshot) directly, as if it existed before the test. */
    public synchronized String seedImage(ImageSeed seed) {
        RegionState rs = region(seed.region);
        String owner = seed.ownerId == null || seed.ownerId.equals("self") ? accountId : seed.ownerId;
        Resources.Snapshot snap = new Resources.Snapshot();
        snap.id = RegionState.newId("snap-");
        snap.volumeId = "vol-ffffffff";
        snap.state = "completed";
        snap.ownerId = owner;
        snap.volumeSize = seed.volumeSize;
        snap.startTime = seed.creationDate;
        snap.description = "seeded root snapshot of " + seed.name;
        rs.snapshots.put(snap.id, snap);
        Resources.Image img = new Resources.Image();
        img.id = RegionState.newId("ami-");
        img.name = seed.name;
        img.description = seed.description;
        img.ownerId = owner;
        img.creationDate = seed.creationDate;
        img.state = seed.state;
        if ("failed".equals(seed.state)) {
            img.stateReasonCode = "Client.SeededFailure";
            img.stateReasonMessage = "seeded in state failed";
        }
        img.architecture = seed.architecture;
        img.virtualizationType = seed.virtualizationType;
        img.platform = seed.platform;
        img.rootDeviceName = seed.rootDeviceName;
        img.isPublic = seed.isPublic != null ? seed.isPublic : !owner.equals(accountId);
        img.tags.putAll(seed.tags);
        img.disk = seed.disk;
        Resources.BlockDevice root = new Resources.BlockDevice();
        root.deviceName = seed.rootDeviceName;
        root.snapshotId = snap.id;
        root.volumeSize = seed.volumeSize;
        root.volumeType = "gp2";
        img.blockDevices.add(root);
        rs.images.put(img.id, img);
        return img.id;
    }

    /**
     * A further subnet of the default VPC, in the region's first zone, not the zone's default, with
     * {@code freeAddresses} left and {@code tags}: for tests that choose a subnet by filter.
     */
    public synchronized String seedSubnet(String region, int freeAddresses, Map<String, String> tags) {
        RegionState rs = region(region);
        Resources.Subnet s = new Resources.Subnet();
        s.id = RegionState.newId("subnet-");
        s.vpcId = rs.defaultVpc.id;
        s.cidr = "172.31." + (48 + rs.subnets.size() * 16) + ".0/20";
        s.availabilityZone = rs.defaultSubnet.availabilityZone;
        s.availabilityZoneId = rs.defaultSubnet.availabilityZoneId;
        s.defaultForAz = false;
        s.availableIpAddressCount = freeAddresses;
        s.tags.putAll(tags);
        rs.subnets.put(s.id, s);
        return s.id;
    }

    // ---- the guest OS ----

    /**
     * The instance's OS shuts it down by itself (Windows sysprep does): it stops or terminates according to its
     * shutdown behaviour, as in EC2.
     */
    public synchronized void guestShutdown(String region, String instanceId) {
        RegionState rs = region(region);
        InstanceHandlers.guestShutdown(endpoint, this, rs, rs.instance(instanceId));
    }

    /** The Administrator password the endpoint posted for a Windows instance, once GetPasswordData returned it. */
    public synchronized java.util.Optional<String> windowsPassword(String region, String instanceId) {
        return java.util.Optional.ofNullable(region(region).instance(instanceId).windowsPassword);
    }

    // ---- read-only views ----

    public synchronized List<Views.Instance> instances(String region) {
        RegionState rs = region(region);
        return rs.instances.values().stream().map(rs::view).toList();
    }

    public synchronized List<Views.Image> images(String region) {
        RegionState rs = region(region);
        return rs.images.values().stream().map(rs::view).toList();
    }

    public synchronized List<Views.Snapshot> snapshots(String region) {
        RegionState rs = region(region);
        return rs.snapshots.values().stream().map(rs::view).toList();
    }

    public synchronized List<Views.Parameter> parameters(String region) {
        RegionState rs = region(region);
        return rs.parameters.values().stream().map(rs::view).toList();
    }

    public synchronized List<Views.LaunchTemplate> launchTemplates(String region) {
        RegionState rs = region(region);
        return rs.launchTemplates.values().stream().map(rs::view).toList();
    }

    public synchronized List<Views.KeyPair> keyPairs(String region) {
        RegionState rs = region(region);
        return rs.keyPairs.values().stream().map(rs::view).toList();
    }

    public synchronized List<Views.SecurityGroup> securityGroups(String region) {
        RegionState rs = region(region);
        return rs.securityGroups.values().stream().map(rs::view).toList();
    }

    /**
     * What a build would have leaked in a region: non-terminated instances, key pairs and non-default security
     * groups, one human-readable line each. Images and snapshots are judged by the caller via
     * {@link #images(String)} and {@link #snapshots(String)}, since keeping them is usually the point.
     */
    public synchronized List<String> liveResources(String region) {
        RegionState rs = region(region);
        List<String> live = new ArrayList<>();
        for (Resources.Instance i : rs.instances.values()) {
            if (i.state != Resources.InstanceState.TERMINATED) {
                live.add("instance " + i.id + " (" + i.state.label + ", image " + i.imageId + ", tags " + i.tags + ")");
            }
        }
        for (Resources.KeyPair k : rs.keyPairs.values()) {
            live.add("key pair " + k.name + " (" + k.id + ")");
        }
        for (Resources.SecurityGroup g : rs.securityGroups.values()) {
            if (!g.isDefault) {
                live.add("security group " + g.id + " (" + g.name + ")");
            }
        }
        return live;
    }

    // ---- request counting ----

    public synchronized Map<String, Integer> requestCounts() {
        return new TreeMap<>(requestCounts);
    }

    public synchronized Map<String, Integer> throttledCounts() {
        return new TreeMap<>(throttledCounts);
    }

    public synchronized Map<String, Integer> failedCounts() {
        return new TreeMap<>(failedCounts);
    }

    public synchronized int throttledCount() {
        return throttledCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized int requestCount(String action) {
        return requestCounts.getOrDefault(action, 0);
    }

    /**
     * Every request this account made, in order, as {@code service:Action} ({@code ec2:DescribeImages},
     * {@code ssm:GetParameter}, {@code sts:AssumeRole}), whatever its answer: what proves a goal only read.
     */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized void recordCall(String service, String action) {
        calls.add(service + ":" + action);
    }

    synchronized void countRequest(String action) {
        requestCounts.merge(action, 1, Integer::sum);
    }

    synchronized void countRequest(String action, Map<String, String> params) {
        countRequest(action);
        lastRequests.put(action, Map.copyOf(params));
        List<Map<String, String>> history = requestHistory.computeIfAbsent(action, a -> new ArrayList<>());
        if (history.size() == MAX_HISTORY) {
            history.remove(0);
        }
        history.add(Map.copyOf(params));
    }

    /** How many requests of one action {@link #requests} keeps: an account polling for hours keeps no more. */
    private static final int MAX_HISTORY = 100;

    /**
     * The parameters of every {@code action} request, oldest first (the last 100), as the client sent them: each
     * attempt of a call the client retried, and each call of a caller that tries again otherwise (another instance
     * type), in order.
     */
    public synchronized List<Map<String, String>> requests(String action) {
        return List.copyOf(requestHistory.getOrDefault(action, List.of()));
    }

    /**
     * The parameters of the last {@code action} request, as the client sent them (flat Query names such as
     * {@code InstanceInitiatedShutdownBehavior}); empty when there was none. Shows what a client asked for where
     * the endpoint's state would look the same without it (EC2 defaults).
     */
    public synchronized Map<String, String> lastRequest(String action) {
        return lastRequests.getOrDefault(action, Map.of());
    }

    synchronized void countThrottled(String action) {
        throttledCounts.merge(action, 1, Integer::sum);
    }

    synchronized void countFailed(String action) {
        failedCounts.merge(action, 1, Integer::sum);
    }

    synchronized Map<String, Object> stateAsMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessKeyId", accessKeyId);
        out.put("accountId", accountId);
        Map<String, Object> perRegion = new TreeMap<>();
        for (String r : regions.keySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("instances", instances(r));
            m.put("images", images(r));
            m.put("snapshots", snapshots(r));
            m.put("keyPairs", keyPairs(r));
            m.put("securityGroups", securityGroups(r));
            m.put("liveResources", liveResources(r));
            m.put("parameters", parameters(r));
            m.put("launchTemplates", launchTemplates(r));
            perRegion.put(r, m);
        }
        out.put("regions", perRegion);
        out.put("requestCounts", requestCounts());
        out.put("throttledCounts", throttledCounts());
        out.put("throttledCount", throttledCount());
        out.put("failedCounts", failedCounts());
        out.put("lastRequests", new TreeMap<>(lastRequests));
        return out;
    }

    /** Runs {@code work} on this account's state, like a handler does. */
    synchronized <T> T locked(Function<AccountState, T> work) {
        return work.apply(this);
    }

    Ec2TestEndpoint endpoint() {
        return endpoint;
    }

    /** Every instance of every region, for shutting sshds down. */
    synchronized List<Resources.Instance> allInstances() {
        List<Resources.Instance> all = new ArrayList<>();
        regions.values().forEach(r -> all.addAll(r.instances.values()));
        return all;
    }
}
