package io.github.amimaven.platform;

import io.github.amimaven.validation.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageSpec;

/** The platforms of one build, of every registered kind, each opened on first use and all closed together. */
public final class Platforms implements PlatformProvider {

    private final PlatformKinds kinds;
    private final PlatformParameters parameters;
    private final BuildLog log;
    private final Map<String, PlatformSession> sessions = new HashMap<>();

    public Platforms(PlatformParameters parameters, BuildLog log) {
        this(PlatformKinds.registered(), parameters, log);
    }

    public Platforms(PlatformKinds kinds, PlatformParameters parameters, BuildLog log) {
        this.kinds = kinds;
        this.parameters = parameters;
        this.log = log;
    }

    /** Fails fast, before any cloud call, when a platform the images are built on has no credentials. */
    public synchronized void checkCredentials(Iterable<ImageSpec> images) {
        Set<String> checked = new LinkedHashSet<>();
        for (ImageSpec image : images) {
            if (checked.add(image.platform())) {
                session(kinds.of(image.platform(), image.name())).checkCredentials();
            }
        }
    }

    @Override
    public synchronized Platform platformFor(ImageSpec image) {
        return session(kinds.of(image.platform(), image.name())).platform();
    }

    /** The image's platform as the deploy phase and {@code ami:prune} use it. */
    public synchronized ReleasePlatform releasePlatformFor(ImageSpec image) {
        return session(kinds.of(image.platform(), image.name())).releasePlatform();
    }

    /**
     * Where {@code ami:clean-orphans} looks: on each platform an image is built on, or that is the build's
     * {@code <platform>} (with no image defined: also the default one), the places its parameters give.
     *
     * @param imagePlatforms the platforms of the defined images
     * @param buildPlatform the build's {@code <platform>}, or null
     */
    public List<OrphanLocation> orphanLocations(Set<String> imagePlatforms, String buildPlatform, Problems problems) {
        List<OrphanLocation> locations = new ArrayList<>();
        for (PlatformKind kind : kinds.all()) {
            boolean used = imagePlatforms.contains(kind.id()) || kind.id().equals(buildPlatform)
                    || imagePlatforms.isEmpty() && kind.isDefault();
            locations.addAll(kind.orphanLocations(parameters, used, problems));
        }
        return locations;
    }

    /** How the user gives {@code ami:clean-orphans} a place to look when it has none. */
    public String orphanLocationHints() {
        return kinds.orphanLocationHints();
    }

    /** The platforms at {@code locations}, once the credentials of each of their kinds are checked. */
    public synchronized List<Platform> orphanPlatforms(List<OrphanLocation> locations) {
        locations.stream().map(OrphanLocation::kind).distinct().forEach(kind -> session(kind).checkCredentials());
        return locations.stream().map(l -> session(l.kind()).platformAt(l.place())).toList();
    }

    /** The session of a kind the registry gave a location of. */
    private PlatformSession session(String kind) {
        return session(kinds.find(kind).orElseThrow());
    }

    private PlatformSession session(PlatformKind kind) {
        return sessions.computeIfAbsent(kind.id(), id -> kind.open(parameters, log));
    }

    @Override
    public synchronized void close() {
        for (PlatformKind kind : kinds.all()) {
            PlatformSession session = sessions.get(kind.id());
            if (session != null) {
                session.close();
            }
        }
    }
}
