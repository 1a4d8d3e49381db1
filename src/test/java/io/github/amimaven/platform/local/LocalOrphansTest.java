package io.github.amimaven.platform.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanSweeper;
import io.github.amimaven.platform.Platform;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.testing.CollectingLog;

/** The orphan sweep on the local platform: VMs of dead JVMs and unfinished candidates of dead builds. */
class LocalOrphansTest {

    @TempDir
    Path tmp;
    final List<Process> standIns = new ArrayList<>();

    @AfterEach
    void killStandIns() {
        standIns.forEach(Process::destroyForcibly);
    }

    /** A process whose command line names {@code file}, as QEMU's and qemu-img's name their disks. */
    Process processOn(Path file) throws Exception {
        Files.writeString(file, "");
        Process p = new ProcessBuilder("tail", "-f", file.toString()).start();
        standIns.add(p);
        return p;
    }

    static String deadOwner() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid() + " 2001-01-01T00:00:00Z";
    }

    static Map<String, String> tags(String buildId, String project, String expires) {
        return Map.of(TaggedResource.BUILD_ID, buildId, TaggedResource.PROJECT, project, TaggedResource.EXPIRES, expires,
                TaggedResource.STATUS, "candidate");
    }

    @Test
    void removesDeadBuildsVmsAndUnfinishedCandidatesWithWhatStillRunsOnThem() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path registryDir = Files.createDirectories(tmp.resolve("builds"));
        Files.writeString(registryDir.resolve("bdead.json"), "{\"buildId\":\"bdead\",\"owner\":\"" + deadOwner() + "\"}");
        BuildRegistry builds = new BuildRegistry(registryDir);
        try (LocalPlatform p = new LocalPlatform(new CollectingLog(), LocalPlatform.Options.defaults()
                .withStoreDir(tmp.resolve("store")).withWorkDir(work))) {
            // a VM of a JVM that was killed, its QEMU still running; and one of this (live) JVM
            Path deadVm = Files.createDirectories(work.resolve("vm-dead"));
            Files.writeString(deadVm.resolve(StaleVmSweeper.OWNER_FILE), deadOwner());
            Files.writeString(deadVm.resolve(StaleVmSweeper.TAGS_FILE),
                    "{\"ami:build-id\":\"bdead\",\"ami:project\":\"g:a\",\"ami:role\":\"builder\"}");
            Process qemu = processOn(deadVm.resolve("disk.qcow2"));
            Path liveVm = Files.createDirectories(work.resolve("vm-live"));
            Files.writeString(liveVm.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.currentOwner());
            Path otherProjectsVm = Files.createDirectories(work.resolve("vm-other"));
            Files.writeString(otherProjectsVm.resolve(StaleVmSweeper.OWNER_FILE), deadOwner());
            Files.writeString(otherProjectsVm.resolve(StaleVmSweeper.TAGS_FILE), "{\"ami:project\":\"g:other\"}");

            // a capture the killed build never finished (its qemu-img still writing), a finished one, another project's
            String unfinished = save(p, "web-1", LocalImage.STATE_PENDING, tags("bdead", "g:a", "2099-01-01T00:00:00Z"));
            Process capture = processOn(p.store().directory().resolve(unfinished + ".qcow2.part"));
            String finished = save(p, "web-2", LocalImage.STATE_AVAILABLE, tags("bdead", "g:a", TaggedResource.NEVER));
            String otherProject = save(p, "other-1", LocalImage.STATE_PENDING, tags("bdead", "g:other", "2099-01-01T00:00:00Z"));

            assertEquals(Set.of(deadVm.toString(), unfinished, finished), mine(p.findTagged("g:a").stream()
                    .map(TaggedResource::id)));

            OrphanSweeper.Report dry = OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request("g:a", true), builds,
                    new CollectingLog());
            assertEquals(Set.of(deadVm.toString(), unfinished), mine(ids(dry.removed()).stream()));
            assertTrue(qemu.isAlive() && Files.exists(deadVm) && p.store().findById(unfinished).isPresent(), "a dry run removes nothing");

            CollectingLog log = new CollectingLog();
            OrphanSweeper.Report report = OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request("g:a", false), builds, log);
            assertEquals(Set.of(deadVm.toString(), unfinished), mine(ids(report.removed()).stream()));
            assertEquals(List.of(), report.problems());
            assertTrue(qemu.waitFor(10, TimeUnit.SECONDS), "the dead VM's QEMU is killed");
            assertTrue(capture.waitFor(10, TimeUnit.SECONDS), "the dead capture's qemu-img is killed");
            assertFalse(Files.exists(deadVm));
            assertTrue(p.store().findById(unfinished).isEmpty());
            assertFalse(Files.exists(p.store().directory().resolve(unfinished + ".qcow2.part")));
            assertTrue(Files.exists(liveVm));
            assertTrue(Files.exists(otherProjectsVm), "another project's VM waits for its own sweep");
            assertTrue(p.store().findById(finished).isPresent(), "a finished candidate is the build's output");
            assertTrue(p.store().findById(otherProject).isPresent());
            assertTrue(log.text().contains("removed orphan instance " + deadVm + " in local " + p.location()
                    + " (build bdead, g:a): its JVM (pid "), log.text());

            OrphanSweeper.sweep(List.of(p), new OrphanSweeper.Request(null, false), builds, new CollectingLog());
            assertFalse(Files.exists(otherProjectsVm), "every project's with allProjects");
            assertTrue(p.store().findById(otherProject).isEmpty());
        }
    }

    @Test
    void aVmKeptForDebuggingIsSparedUntilItsTimeIsUp() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        try (LocalPlatform p = new LocalPlatform(new CollectingLog(), LocalPlatform.Options.defaults()
                .withStoreDir(tmp.resolve("store")).withWorkDir(work))) {
            Path kept = Files.createDirectories(work.resolve("vm-kept"));
            Files.writeString(kept.resolve(StaleVmSweeper.OWNER_FILE),
                    StaleVmSweeper.keptUntil(java.time.Instant.now().plus(Platform.KEPT_FOR)));
            assertEquals(Set.of(), mine(p.findTagged(null).stream().map(TaggedResource::id)));
            Files.writeString(kept.resolve(StaleVmSweeper.OWNER_FILE), StaleVmSweeper.keptUntil(java.time.Instant.parse("2026-01-01T00:00:00Z")));
            List<TaggedResource> found = p.findTagged(null).stream().filter(r -> r.id().startsWith(work.toString())).toList();
            assertEquals(1, found.size());
            assertEquals("it was kept for debugging until 2026-01-01T00:00:00Z", found.get(0).deadOwner());
        }
    }

    /**
     * Without what other builds on this machine left in the temporary directory (dead VMs the platform also finds):
     * this test's work directory and store only.
     */
    private Set<String> mine(java.util.stream.Stream<String> ids) {
        return ids.filter(id -> id.startsWith(tmp.toString()) || ImageStore.isImageId(id)).collect(Collectors.toSet());
    }

    private static Set<String> ids(List<OrphanSweeper.Outcome> outcomes) {
        return outcomes.stream().map(o -> o.resource().id()).collect(Collectors.toSet());
    }

    private static String save(LocalPlatform p, String name, String state, Map<String, String> tags) {
        String id = ImageStore.newId();
        p.store().save(new LocalImage(id, name, null, null, LocalImage.STATUS_CANDIDATE, state, tags, null,
                "2026-01-01T00:00:00Z", id + ".qcow2", "qcow2", null, null, null));
        return id;
    }
}
