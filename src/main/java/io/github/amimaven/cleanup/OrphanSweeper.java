package io.github.amimaven.cleanup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.TaggedResource;

/**
 * Finds what earlier builds left behind and removes it: in each location, the resources the plugin tagged (of one
 * project, or all), judged by {@link OrphanRules}, removed in dependency order: instances (terminated, then
 * waited for) before key pairs and security groups (whose deletion waits out {@code DependencyViolation} while a
 * terminated instance's network interface is released), then candidate images with their snapshots, then
 * snapshots whose image is already gone. Removal is idempotent (already gone is removed); a resource that cannot
 * be removed is reported and the sweep carries on. A dry run lists and removes nothing.
 */
public final class OrphanSweeper {

    /** How long the sweep waits for orphan instances to terminate. */
    static final Duration INSTANCE_TIMEOUT = Duration.ofMinutes(15);

    /**
     * What to sweep.
     *
     * @param project {@code groupId:artifactId}, or null for every project's resources
     * @param dryRun list only
     */
    public record Request(String project, boolean dryRun) {
    }

    /** One resource the sweep removed (or would remove), or kept, and why. */
    public record Outcome(String location, TaggedResource resource, String reason) {
        public String describe() {
            String project = resource.tags().get(TaggedResource.PROJECT);
            return resource.describe() + " in " + location + " (build " + resource.buildId()
                    + (project == null ? "" : ", " + project) + "): " + reason;
        }
    }

    /** What a sweep did. */
    public record Report(List<Outcome> removed, List<Outcome> kept, List<String> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private OrphanSweeper() {
    }

    public static Report sweep(Collection<? extends Platform> locations, Request request, BuildRegistry builds,
            BuildLog log) {
        List<Outcome> removed = new ArrayList<>();
        List<Outcome> kept = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Platform platform : locations) {
            sweepOne(platform, request, builds, log, removed, kept, problems);
        }
        return new Report(List.copyOf(removed), List.copyOf(kept), List.copyOf(problems));
    }

    private static void sweepOne(Platform platform, Request request, BuildRegistry builds, BuildLog log,
            List<Outcome> removed, List<Outcome> kept, List<String> problems) {
        String location = platform.id() + " " + platform.location();
        List<TaggedResource> found;
        try {
            found = platform.findTagged(request.project());
        } catch (RuntimeException e) {
            problems.add("cannot list the resources in " + location + ": " + e.getMessage());
            log.warn("orphan sweep: cannot list the resources in " + location + ": " + e.getMessage());
            return;
        }
        // an image's snapshots go with it (or stay with it): only snapshots whose image is gone are judged alone
        Set<String> snapshotsOfImages = new HashSet<>();
        found.stream().filter(r -> r.kind() == TaggedResource.Kind.IMAGE).forEach(r -> snapshotsOfImages.addAll(r.snapshotIds()));
        Instant now = Instant.now();
        Map<TaggedResource.Kind, List<Outcome>> orphans = new EnumMap<>(TaggedResource.Kind.class);
        for (TaggedResource r : found) {
            if (r.kind() == TaggedResource.Kind.SNAPSHOT && snapshotsOfImages.contains(r.id())) {
                continue;
            }
            OrphanRules.Verdict verdict = OrphanRules.judge(r, builds, now);
            Outcome outcome = new Outcome(location, r, verdict.reason());
            if (verdict.orphan()) {
                orphans.computeIfAbsent(r.kind(), k -> new ArrayList<>()).add(outcome);
            } else {
                kept.add(outcome);
                if (request.dryRun()) {
                    log.info("keeps " + outcome.describe());
                }
            }
        }
        if (request.dryRun()) {
            orphans.values().forEach(list -> list.forEach(o -> {
                log.info("would remove orphan " + o.describe());
                removed.add(o);
            }));
            return;
        }
        List<Outcome> terminating = new ArrayList<>();
        for (Map.Entry<TaggedResource.Kind, List<Outcome>> kind : orphans.entrySet()) {
            if (kind.getKey() != TaggedResource.Kind.INSTANCE && !terminating.isEmpty()) {
                awaitTerminated(platform, terminating, log);
                terminating.clear();
            }
            for (Outcome o : kind.getValue()) {
                try {
                    platform.remove(o.resource());
                    removed.add(o);
                    if (kind.getKey() == TaggedResource.Kind.INSTANCE) {
                        terminating.add(o);
                    }
                    log.info("removed orphan " + o.describe());
                } catch (RuntimeException e) {
                    problems.add("could not remove " + o.resource().describe() + " in " + location + ": " + e.getMessage());
                    log.error("orphan sweep could not remove " + o.resource().describe() + " in " + location + ": "
                            + e.getMessage());
                }
            }
        }
        awaitTerminated(platform, terminating, log);
    }

    private static void awaitTerminated(Platform platform, List<Outcome> instances, BuildLog log) {
        for (Outcome o : instances) {
            try {
                platform.awaitTerminated(o.resource().id(), INSTANCE_TIMEOUT);
            } catch (RuntimeException e) {
                log.warn(o.resource().describe() + " is terminating, but its end could not be confirmed: " + e.getMessage());
            }
        }
    }
}
