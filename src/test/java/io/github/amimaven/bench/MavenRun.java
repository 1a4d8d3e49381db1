package io.github.amimaven.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.amimaven.testing.it.NestedMaven;

/**
 * A real {@code mvn} run of a benchmark project, timed from process start to exit, with a timestamp on every log
 * line so that the phases and steps can be timed from the log.
 */
final class MavenRun {

    private static final String TIME_FORMAT = "HH:mm:ss.SSS";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern(TIME_FORMAT);

    /** How a run ended: exit code, wall time, the whole output. */
    record Result(int exitCode, Duration wall, String output) {

        Result requireSuccess(String what) {
            if (exitCode != 0) {
                throw new IllegalStateException(what + " failed (exit " + exitCode + "):\n" + tail(output, 80));
            }
            return this;
        }

        /** The time of the first line containing {@code text}. */
        Optional<LocalTime> at(String text) {
            for (String line : output.split("\n")) {
                if (line.contains(text) && line.length() > TIME_FORMAT.length()) {
                    try {
                        return Optional.of(LocalTime.parse(line.substring(0, TIME_FORMAT.length()), TIME));
                    } catch (DateTimeParseException notTimed) {
                        // a continuation line (stack trace, multi-line message): keep looking
                    }
                }
            }
            return Optional.empty();
        }

        /** The time from the first line containing {@code from} to the first containing {@code to}. */
        Optional<Duration> between(String from, String to) {
            Optional<LocalTime> a = at(from);
            Optional<LocalTime> b = at(to);
            if (a.isEmpty() || b.isEmpty()) {
                return Optional.empty();
            }
            Duration d = Duration.between(a.get(), b.get());
            return Optional.of(d.isNegative() ? d.plusDays(1) : d);
        }
    }

    private final Path pluginRepository;
    private final String outerRepository;

    /** {@code pluginRepository} holds the plugin under test; everything else comes from the user's repository. */
    MavenRun(Path pluginRepository) {
        this.pluginRepository = pluginRepository;
        this.outerRepository = System.getProperty("maven.repo.local",
                System.getProperty("user.home") + File.separator + ".m2" + File.separator + "repository");
    }

    Result run(Path project, Map<String, String> environment, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-ntp", "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=" + TIME_FORMAT));
        args.addAll(List.of(arguments));
        long start = System.nanoTime();
        NestedMaven mvn = NestedMaven.start(project.toFile(), pluginRepository.toString(), outerRepository,
                environment, args);
        int exit = mvn.awaitExit(timeout.toMillis());
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        // kept beside the project, for a look at where the time went
        Files.writeString(project.resolve("mvn-" + arguments[arguments.length - 1].replace(':', '-') + ".log"), mvn.output());
        return new Result(exit, wall, mvn.output());
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
