package io.github.amimaven.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.amimaven.log.Secrets;

/**
 * {@code summary.json}: what {@code integration-test} found per image (totals, each verifier's totals and raw
 * report, the failed checks), and the verdict {@code verify} draws from it. CI servers read the file too, so its
 * layout is kept as it was; one class writes and reads it so that the two goals cannot drift apart.
 *
 * @param totals over all images
 */
public record TestSummary(Totals totals, Map<String, Image> images) {

    public static final String FILE = "summary.json";
    /** How many failed checks per image a verdict quotes. */
    static final int QUOTED_FAILURES = 5;
    /** Left under {@code -Dami.skipTests}, so that verify tags the candidates unverified instead of judging them. */
    private static final String SKIPPED = "tests-skipped";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public TestSummary {
        images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
    }

    /** Counts of checks by outcome; {@code seconds} rounded to the millisecond, as written. */
    public record Totals(int tests, int passed, int failures, int errors, int skipped, double seconds) {

        static Totals of(List<CheckResult> results) {
            return new Totals(results.size(), count(results, CheckResult.Status.PASSED),
                    count(results, CheckResult.Status.FAILED), count(results, CheckResult.Status.ERROR),
                    count(results, CheckResult.Status.SKIPPED),
                    Math.round(results.stream().mapToDouble(CheckResult::seconds).sum() * 1000) / 1000.0);
        }

        /** No check failed or errored; skips do not count against it. */
        public boolean succeeded() {
            return failures == 0 && errors == 0;
        }
    }

    /** @param junitReport the file name of the image's JUnit XML, next to the summary */
    public record Image(Totals totals, String junitReport, List<VerifierTotals> verifiers, List<FailedCheck> failed) {
        public Image {
            verifiers = List.copyOf(verifiers);
            failed = List.copyOf(failed);
        }
    }

    /** @param rawReport the tool's own report file, null when it wrote none */
    public record VerifierTotals(String verifier, Totals totals, String rawReport) {
    }

    public record FailedCheck(String verifier, String suite, String id, String title, CheckResult.Status status,
            String message) {
    }

    /** The summary of these reports, by image in the order given. */
    public static TestSummary of(Map<String, List<VerifierReport>> reportsByImage) {
        Map<String, Image> images = new LinkedHashMap<>();
        List<CheckResult> everything = new ArrayList<>();
        reportsByImage.forEach((image, reports) -> {
            List<CheckResult> all = reports.stream().flatMap(r -> r.results().stream()).toList();
            everything.addAll(all);
            List<VerifierTotals> verifiers = new ArrayList<>();
            List<FailedCheck> failed = new ArrayList<>();
            for (VerifierReport r : reports) {
                verifiers.add(new VerifierTotals(r.verifier(), Totals.of(r.results()),
                        r.rawReport() == null ? null : r.rawReport().toString()));
                for (CheckResult c : r.failed()) {
                    failed.add(new FailedCheck(r.verifier(), c.suite(), c.id(), c.title(), c.status(), c.message()));
                }
            }
            images.put(image, new Image(Totals.of(all), JUnitReports.fileName(image), verifiers, failed));
        });
        return new TestSummary(Totals.of(everything), images);
    }

    /**
     * Why {@code image} does not pass, empty when it does: it was not tested, a check failed, or it ran no check
     * although it may not go untested ({@code untestedAllowed}: it declares no verifier and allows that).
     */
    public Optional<String> problem(String image, boolean untestedAllowed) {
        Image entry = images.get(image);
        if (entry == null) {
            return Optional.of("was not tested: run the integration-test phase");
        }
        List<FailedCheck> failed = entry.failed();
        if (!failed.isEmpty()) {
            StringBuilder b = new StringBuilder(failed.size() + " check(s) failed:");
            for (FailedCheck f : failed.subList(0, Math.min(QUOTED_FAILURES, failed.size()))) {
                b.append("\n    - ").append(f.verifier()).append(" ").append(f.id())
                        .append(" (").append(f.status().name().toLowerCase(Locale.ROOT)).append("): ")
                        .append(f.message());
            }
            if (failed.size() > QUOTED_FAILURES) {
                b.append("\n    - … and ").append(failed.size() - QUOTED_FAILURES).append(" more");
            }
            return Optional.of(b.toString());
        }
        if (entry.totals().tests() == 0 && !untestedAllowed) {
            return Optional.of("ran no checks: add <verifiers>, or declare <verifiers/> with"
                    + " <allowUntested>true</allowUntested>");
        }
        return Optional.empty();
    }

    /** Writes {@code summary.json} in {@code directory}, every registered secret masked; returns its path. */
    public Path write(Path directory) throws IOException {
        Files.createDirectories(directory);
        ObjectNode root = JSON.createObjectNode();
        root.put("succeeded", totals.succeeded());
        writeTotals(root.putObject("totals"), totals);
        ObjectNode byImage = root.putObject("images");
        images.forEach((name, image) -> {
            ObjectNode entry = byImage.putObject(name);
            writeTotals(entry, image.totals());
            entry.put("junitReport", image.junitReport());
            ArrayNode verifiers = entry.putArray("verifiers");
            for (VerifierTotals v : image.verifiers()) {
                ObjectNode n = verifiers.addObject().put("verifier", v.verifier());
                writeTotals(n, v.totals());
                n.put("rawReport", v.rawReport());
            }
            ArrayNode failed = entry.putArray("failed");
            for (FailedCheck f : image.failed()) {
                failed.addObject().put("verifier", f.verifier()).put("suite", f.suite()).put("id", f.id())
                        .put("title", f.title()).put("status", f.status().name()).put("message", f.message());
            }
        });
        Path file = directory.resolve(FILE);
        Files.writeString(file, Secrets.global().redact(JSON.writeValueAsString(root)), StandardCharsets.UTF_8);
        return file;
    }

    /** The summary {@code integration-test} wrote in {@code directory}; empty when there is none. */
    public static Optional<TestSummary> read(Path directory) throws IOException {
        Path file = directory.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode root = JSON.readTree(file.toFile());
        Map<String, Image> images = new LinkedHashMap<>();
        for (var e : root.path("images").properties()) {
            JsonNode entry = e.getValue();
            List<VerifierTotals> verifiers = new ArrayList<>();
            for (JsonNode v : entry.path("verifiers")) {
                verifiers.add(new VerifierTotals(v.path("verifier").asText(), readTotals(v),
                        v.path("rawReport").asText(null)));
            }
            List<FailedCheck> failed = new ArrayList<>();
            for (JsonNode f : entry.path("failed")) {
                failed.add(new FailedCheck(f.path("verifier").asText(), f.path("suite").asText(), f.path("id").asText(),
                        f.path("title").asText(), CheckResult.Status.valueOf(f.path("status").asText()),
                        f.path("message").asText()));
            }
            images.put(e.getKey(), new Image(readTotals(entry), entry.path("junitReport").asText(null), verifiers, failed));
        }
        return Optional.of(new TestSummary(readTotals(root.path("totals")), images));
    }

    /**
     * Records in {@code directory} whether this run's tests were skipped. Skipped tests leave an earlier run's
     * summary in place, so the verdict must not read it.
     */
    public static void recordSkipped(Path directory, boolean skipped) throws IOException {
        Files.createDirectories(directory);
        Path marker = directory.resolve(SKIPPED);
        if (skipped) {
            Files.writeString(marker, "skipped with -Dami.skipTests\n");
        } else {
            Files.deleteIfExists(marker);
        }
    }

    /** Whether the last {@code integration-test} in {@code directory} skipped the tests. */
    public static boolean skipped(Path directory) {
        return Files.exists(directory.resolve(SKIPPED));
    }

    private static void writeTotals(ObjectNode n, Totals t) {
        n.put("succeeded", t.succeeded()).put("tests", t.tests()).put("passed", t.passed())
                .put("failures", t.failures()).put("errors", t.errors()).put("skipped", t.skipped())
                .put("seconds", t.seconds());
    }

    private static Totals readTotals(JsonNode n) {
        return new Totals(n.path("tests").asInt(), n.path("passed").asInt(), n.path("failures").asInt(),
                n.path("errors").asInt(), n.path("skipped").asInt(), n.path("seconds").asDouble());
    }

    private static int count(List<CheckResult> results, CheckResult.Status status) {
        return (int) results.stream().filter(r -> r.status() == status).count();
    }
}
