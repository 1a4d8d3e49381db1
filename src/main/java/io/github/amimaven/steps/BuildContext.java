package io.github.amimaven.steps;

import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.pipeline.StepAbort;
import io.github.amimaven.pipeline.StepContext;
import io.github.amimaven.pipeline.StepTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.github.amimaven.cleanup.OrphanRules;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.ImageInfo;
import io.github.amimaven.platform.Machine;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.SourceImage;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.remote.SshConnector;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;

/**
 * The state of one image's pipeline. Each field is set by the step that creates the thing, the moment the
 * platform returns its id, so that cleanup knows about it even when a later wait fails.
 */
public final class BuildContext implements StepContext {

    private final ImageSpec image;
    private final Platform platform;
    private final BuildLog log;
    private final String buildId;
    private final ProjectInfo project;
    private final Instant startedAt = Instant.now();
    private final List<String> leftovers = new ArrayList<>();
    private volatile boolean succeeded;
    private SshConnector sshConnector = SshConnector.DEFAULT;
    private Duration resourceLifetime = OrphanRules.DEFAULT_LIFETIME;
    /** What the pipeline is doing now, for a second Ctrl-C: the step running, or the cleanup under way. */
    private volatile String activity;
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final StepAbort abort;
    private volatile MachineWatch watch;
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ami-step-bounds");
        t.setDaemon(true);
        return t;
    });

    public SourceImage source;
    public String keyName;
    public boolean keyIsTemporary;
    public byte[] privateKey;
    public String publicKey;
    public String firewallId;
    /** The subnet chosen by {@code <subnetFilter>}, or null for {@code <subnetId>}. */
    public String chosenSubnetId;
    /** The security groups chosen by {@code <securityGroupFilter>}. */
    public List<String> chosenSecurityGroupIds = List.of();
    public String machineId;
    public Machine machine;
    /** What the machine is to this pipeline ({@code builder}, {@code test instance}), for messages and file names. */
    public String machineRole;
    public SshSession session;
    /** Where {@link #session} leads, kept so a provisioner can reconnect after a reboot. */
    public SshTarget sshTarget;
    /** The Windows builder's Administrator password, when the image asks for it. Never log it. */
    public String windowsPassword;
    public String imageName;
    public String imageId;
    public ImageInfo imageInfo;
    /** What the verifiers of a test instance reported. */
    public final java.util.List<io.github.amimaven.verify.VerifierReport> verifierReports =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    /** The title of the step that failed, if one did. */
    public volatile String failedStep;
    /** The build was stopped by Ctrl-C rather than by a failure. */
    public volatile boolean interrupted;
    /** The machine is left running on purpose (keepOnFailure): its cleanups leave it and its firewall alone. */
    public volatile boolean machineKept;

    public BuildContext(ImageSpec image, Platform platform, BuildLog log, String buildId, ProjectInfo project) {
        this.image = image;
        this.platform = platform;
        this.log = log;
        this.buildId = buildId;
        this.project = project;
        this.abort = new StepAbort(log, () -> {
            SshSession open = session;
            if (open != null) {
                open.close();
            }
        });
    }

    public ImageSpec image() { return image; }
    public Platform platform() { return platform; }
    public BuildLog log() { return log; }
    public String buildId() { return buildId; }
    public ProjectInfo project() { return project; }
    public Instant startedAt() { return startedAt; }
    public boolean succeeded() { return succeeded; }
    public SshConnector sshConnector() { return sshConnector; }

    public BuildContext withSshConnector(SshConnector connector) {
        this.sshConnector = connector;
        return this;
    }

    /** How long temporary resources live before any build may remove them ({@code ami:expires}). */
    public BuildContext withResourceLifetime(Duration lifetime) {
        this.resourceLifetime = lifetime;
        return this;
    }

    public Duration resourceLifetime() {
        return resourceLifetime;
    }

    @Override
    public void stepsSucceeded() {
        succeeded = true;
    }

    @Override
    public void stepFailed(String step, boolean interrupted) {
        this.failedStep = step;
        this.interrupted = interrupted;
    }

    /** Only a step that waited on a live machine can have failed because the machine died. */
    @Override
    public Exception stepsEnded(Exception failure, boolean aborted) {
        boolean watched = watched();
        unwatchMachine();
        if (failure != null && !aborted && !interrupted && watched) {
            failure = MachineWatch.explain(this, failure);
        }
        if (failure != null) {
            ConsoleDiagnosis.afterFailure(this, failure);
        }
        return failure;
    }

    @Override
    public void activity(String activity) {
        this.activity = activity;
    }

    /** Something cleanup could not remove, for the final report. */
    public void leftOver(String description) {
        synchronized (leftovers) {
            leftovers.add(description);
        }
        log.error("LEFT BEHIND: " + description + " (remove it by hand)");
    }

    public List<String> leftovers() {
        synchronized (leftovers) {
            return List.copyOf(leftovers);
        }
    }

    /**
     * Tags every resource of this build carries, set at creation: who made it, for which build, and until when it
     * is temporary ({@code ami:expires}: now plus the resource lifetime; the orphan sweep's rules are on
     * {@link OrphanRules}).
     */
    public Map<String, String> resourceTags(String role) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("Name", "ami-" + role + " " + image.name() + " " + buildId);
        tags.put(TaggedResource.BUILD_ID, buildId);
        tags.put(TaggedResource.PROJECT, project.coordinates());
        tags.put(TaggedResource.IMAGE, image.name());
        tags.put("ami:role", role);
        tags.put(TaggedResource.EXPIRES, OrphanRules.expiresTag(Instant.now(), resourceLifetime));
        return tags;
    }

    /**
     * The tags of a temporary resource this build creates: {@link #resourceTags} and the image's {@code <runTags>},
     * whose {@code Name} replaces the plugin's (they can hold no {@code ami:} key).
     */
    public Map<String, String> temporaryResourceTags(String role) {
        Map<String, String> tags = resourceTags(role);
        tags.putAll(image.launch().runTags());
        return tags;
    }

    /** The subnet to launch in: {@code <subnetId>}, or the one {@code <subnetFilter>} chose; null for the default. */
    public String subnetId() {
        return chosenSubnetId != null ? chosenSubnetId : image.launch().subnetId();
    }

    /** The user's security groups: {@code <securityGroupIds>} and those {@code <securityGroupFilter>} chose. */
    public List<String> securityGroupIds() {
        List<String> groups = new ArrayList<>(image.launch().securityGroupIds());
        chosenSecurityGroupIds.stream().filter(g -> !groups.contains(g)).forEach(groups::add);
        return groups;
    }

    /**
     * What this pipeline holds now that cleanup has to remove, as the ids were recorded: for the report a second
     * Ctrl-C prints.
     */
    public List<String> heldResources() {
        List<String> held = new ArrayList<>();
        if (machineId != null && !released.contains(machineId)) {
            held.add("machine " + machineId);
        }
        if (firewallId != null && !released.contains(firewallId)) {
            held.add("security group " + firewallId);
        }
        if (keyIsTemporary && keyName != null && !released.contains(keyName)) {
            held.add("key pair " + keyName);
        }
        if (imageId != null && !succeeded && !released.contains(imageId)) {
            held.add("candidate image " + imageId);
        }
        return held;
    }

    /** A cleanup removed this resource: it is no longer held. */
    public void released(String id) {
        released.add(id);
    }

    @Override
    public StepAbort stepAbort() {
        return abort;
    }

    /** Ends the step under way for {@code why} (see {@link StepAbort}). */
    void abort(Exception why) {
        abort.fire(why);
    }

    /** Starts watching the machine for its death (see {@link MachineWatch}), if not watched yet. */
    synchronized void watchMachine() {
        if (watch == null && machineId != null) {
            watch = MachineWatch.start(this, machineRole == null ? "machine" : machineRole);
        }
    }

    synchronized boolean watched() {
        return watch != null;
    }

    /** Ends the watch: the machine is about to stop on purpose, or the pipeline is over. */
    synchronized void unwatchMachine() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    /**
     * Bounds what runs until the returned handle is closed: past {@code limit} the step is aborted with a message
     * naming {@code what} and the {@code setting} that raises the bound.
     */
    Bound bound(Duration limit, String what, String setting) {
        StepTimeoutException late = new StepTimeoutException(what + " did not finish within " + Timeouts.describe(limit)
                + ": stopped it and everything it started on this machine. Raise " + setting + " if it needs longer");
        ScheduledFuture<?> timer = TIMERS.schedule(() -> abort(late), limit.toMillis(), TimeUnit.MILLISECONDS);
        return new Bound() {
            @Override
            public void close() {
                timer.cancel(false);
            }

            @Override
            public boolean fired() {
                return abort.reason() == late;
            }
        };
    }

    /** Ends a {@link #bound}. */
    interface Bound extends AutoCloseable {
        @Override
        void close();

        /** Whether this bound ran out and so ended the step (only the first abort of a pipeline counts). */
        boolean fired();
    }

    /** The step running or the cleanup under way, null before the first step and after the last cleanup. */
    public String activity() {
        return activity;
    }

    /** What this pipeline produced, {@code failure} null on success. */
    ImageResult result(Exception failure) {
        return new ImageResult(image(), platform().id(), platform().location(), buildId(),
                source == null ? null : source.id(), source == null ? null : source.name(),
                imageId, imageName, imageInfo == null ? List.of() : imageInfo.snapshotIds(),
                startedAt(), Instant.now(), failedStep, failure, leftovers(), List.copyOf(verifierReports));
    }
}
