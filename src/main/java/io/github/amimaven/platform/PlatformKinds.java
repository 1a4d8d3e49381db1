package io.github.amimaven.platform;

import io.github.amimaven.validation.Problems;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.amimaven.log.Secrets;

/**
 * The registry of platform kinds: those listed in {@code META-INF/services/io.github.amimaven.platform.PlatformKind},
 * in the order listed there.
 */
public final class PlatformKinds {

    private final Map<String, PlatformKind> byId = new LinkedHashMap<>();
    private final PlatformKind defaultKind;

    public PlatformKinds(List<? extends PlatformKind> kinds) {
        for (PlatformKind kind : kinds) {
            if (byId.putIfAbsent(kind.id(), kind) != null) {
                throw new IllegalStateException("two platform kinds are registered as '" + kind.id() + "'");
            }
        }
        List<PlatformKind> defaults = byId.values().stream().filter(PlatformKind::isDefault).toList();
        if (defaults.size() != 1) {
            throw new IllegalStateException("exactly one platform kind must be the default, not " + defaults.size()
                    + " of " + byId.keySet());
        }
        this.defaultKind = defaults.get(0);
    }

    /** The kinds this plugin registers. */
    public static PlatformKinds registered() {
        return Registered.KINDS;
    }

    private static final class Registered {
        // the interface's own loader: the plugin's class realm under Maven, where the context loader is Maven's
        static final PlatformKinds KINDS = new PlatformKinds(
                ServiceLoader.load(PlatformKind.class, PlatformKind.class.getClassLoader()).stream()
                        .map(ServiceLoader.Provider::get).toList());
    }

    public List<PlatformKind> all() {
        return List.copyOf(byId.values());
    }

    /** The registered ids, in registration order. */
    public Set<String> ids() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(byId.keySet()));
    }

    public Optional<PlatformKind> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public PlatformKind defaultKind() {
        return defaultKind;
    }

    /** The kind of {@code platform}, the {@code <platform>} of image {@code image}; an unknown one is the user's error. */
    public PlatformKind of(String platform, String image) {
        return find(platform).orElseThrow(() -> new PlatformException("platform '" + platform + "' of image " + image
                + " is unknown: use " + byId.keySet().stream().map(id -> "<platform>" + id + "</platform>")
                        .collect(Collectors.joining(" or ")), true));
    }

    /** Registers every kind's environment secrets. */
    public void registerEnvironmentSecrets(Secrets secrets) {
        byId.values().forEach(kind -> kind.registerEnvironmentSecrets(secrets));
    }

    /** Every kind's {@link PlatformKind#loggersPrintingSecrets()}. */
    public List<String> loggersPrintingSecrets() {
        return byId.values().stream().flatMap(kind -> kind.loggersPrintingSecrets().stream()).toList();
    }

    /** Checks every kind's parameters; {@code used} are the ids of the platforms the images are built on. */
    public void checkParameters(PlatformParameters parameters, Set<String> used, Problems problems) {
        byId.values().forEach(kind -> kind.checkParameters(parameters, used.contains(kind.id()), problems));
    }

    /** How the user gives {@code ami:clean-orphans} a place to look, on any platform. */
    public String orphanLocationHints() {
        return byId.values().stream().map(PlatformKind::orphanLocationHint).collect(Collectors.joining(", or "));
    }
}
