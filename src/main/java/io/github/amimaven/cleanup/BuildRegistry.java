package io.github.amimaven.cleanup;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.platform.ProcessOwner;

/**
 * The builds of this machine, one file per build id ({@code <build-id>.json} under
 * {@code ~/.ami-maven-plugin/builds}): the JVM running it (pid and start time), its project, when it started and,
 * once its cleanup is done, when it finished. This is how the orphan sweep tells a build that is still running
 * from one that ended, or died without cleaning up (SIGKILL, a crash, a power cut): a file that says running but
 * whose JVM is gone. A build id without a file here ran on another machine, or too long ago: only its resources'
 * {@code ami:expires} can judge it.
 */
public final class BuildRegistry {

    /** How long the files of ended builds are kept: longer than any resource lifetime worth setting. */
    static final Duration KEEP_ENDED = Duration.ofDays(30);

    private static final Pattern BUILD_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** What a build file holds. */
    public record Entry(String buildId, String project, String owner, String started, String finished) {
    }

    /** What is known here about a build. */
    public enum State {
        /** Its JVM runs on this machine and has not finished. */
        RUNNING,
        /** It finished, or its JVM is gone without finishing. */
        ENDED,
        /** No record here: another machine's build, or one whose record was pruned. */
        UNKNOWN
    }

    /** A build's state and, for messages, why. */
    public record Status(State state, String reason) {
    }

    private final Path directory;

    public BuildRegistry(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** {@code ~/.ami-maven-plugin/builds}. */
    public static BuildRegistry atDefaultLocation() {
        return new BuildRegistry(Path.of(System.getProperty("user.home"), ".ami-maven-plugin", "builds"));
    }

    public Path directory() {
        return directory;
    }

    /**
     * Records that this JVM runs {@code buildId}; closing the registration records that it finished (cleanups
     * done). Records of builds that ended long ago are pruned on the way.
     */
    public Registration register(String buildId, String project) throws IOException {
        requireBuildId(buildId);
        Files.createDirectories(directory);
        prune();
        Entry entry = new Entry(buildId, project, ProcessOwner.current(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null);
        write(entry);
        return new Registration(entry);
    }

    public Status status(String buildId) {
        if (buildId == null || !BUILD_ID.matcher(buildId).matches()) {
            return new Status(State.UNKNOWN, "no build id");
        }
        Path file = file(buildId);
        if (!Files.isRegularFile(file)) {
            return new Status(State.UNKNOWN, "build " + buildId + " is not known on this machine");
        }
        Entry e;
        try {
            e = JSON.readValue(file.toFile(), Entry.class);
        } catch (IOException unreadable) {
            return new Status(State.UNKNOWN, "the record of build " + buildId + " cannot be read: " + unreadable.getMessage());
        }
        if (e.finished() != null) {
            return new Status(State.ENDED, "build " + buildId + " ended at " + e.finished());
        }
        if (e.owner() == null || !ProcessOwner.isAlive(e.owner())) {
            return new Status(State.ENDED, "build " + buildId + " died: its JVM (pid "
                    + (e.owner() == null ? "?" : ProcessOwner.pid(e.owner())) + ") is gone");
        }
        return new Status(State.RUNNING, "build " + buildId + " is running (pid " + ProcessOwner.pid(e.owner()) + ")");
    }

    /** Deletes records of builds that ended (or died) more than {@link #KEEP_ENDED} ago. */
    void prune() {
        Instant cutoff = Instant.now().minus(KEEP_ENDED);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path f : files) {
                try {
                    Entry e = JSON.readValue(f.toFile(), Entry.class);
                    boolean ended = e.finished() != null || e.owner() == null || !ProcessOwner.isAlive(e.owner());
                    if (ended && Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException | RuntimeException e) {
                    // another build's file being written, or not ours
                }
            }
        } catch (IOException e) {
            // nothing to prune
        }
    }

    private void write(Entry entry) throws IOException {
        Path tmp = Files.createTempFile(directory, "." + entry.buildId(), ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), entry);
            try {
                Files.move(tmp, file(entry.buildId()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(entry.buildId()), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path file(String buildId) {
        return directory.resolve(buildId + ".json");
    }

    private static void requireBuildId(String buildId) {
        if (buildId == null || !BUILD_ID.matcher(buildId).matches()) {
            throw new IllegalArgumentException("not a build id: " + buildId);
        }
    }

    /** A running build's record; {@link #close()} marks it finished, once, from whichever thread gets there first. */
    public final class Registration implements AutoCloseable {

        private final Entry entry;
        private boolean closed;

        private Registration(Entry entry) {
            this.entry = entry;
        }

        public String buildId() {
            return entry.buildId();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                write(new Entry(entry.buildId(), entry.project(), entry.owner(), entry.started(),
                        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
            } catch (IOException e) {
                // the record keeps saying "running" until this JVM is gone; then it reads as ended anyway
            }
        }
    }
}
