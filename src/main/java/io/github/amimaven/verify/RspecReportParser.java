package io.github.amimaven.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.verify.CheckResult.Status;

/**
 * Reads RSpec's {@code --format json} output (serverspec runs on RSpec): one {@link CheckResult} per
 * {@code examples[]} entry, by {@code status} passed / failed / pending. A failure whose exception is not an
 * unmet expectation is an ERROR; errors outside examples (a spec file that does not load) are one ERROR each.
 */
public final class RspecReportParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RspecReportParser() {
    }

    public static List<CheckResult> parse(Path report) throws VerifyException {
        try {
            return parse(Files.readString(report));
        } catch (IOException e) {
            throw new VerifyException("cannot read the rspec report " + report + ": " + e.getMessage(), e);
        }
    }

    public static List<CheckResult> parse(String json) throws VerifyException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new VerifyException("the rspec JSON report cannot be parsed: " + e.getMessage(), e);
        }
        if (root == null || !root.path("examples").isArray()) {
            throw new VerifyException("the rspec JSON report has no examples[]: is it the output of --format json?");
        }
        List<CheckResult> results = new ArrayList<>();
        for (JsonNode e : root.path("examples")) {
            String suite = text(e, "file_path", "spec").replaceFirst("^\\./", "");
            String title = text(e, "full_description", text(e, "description", "(unnamed example)"));
            String id = title;
            double seconds = e.path("run_time").asDouble(0);
            String status = text(e, "status", "");
            switch (status) {
                case "passed" -> results.add(CheckResult.passed(suite, id, title, seconds));
                case "pending" -> results.add(new CheckResult(suite, id, title, Status.SKIPPED,
                        text(e, "pending_message", "pending"), seconds));
                case "failed" -> {
                    JsonNode ex = e.path("exception");
                    String cls = text(ex, "class", "");
                    String message = text(ex, "message", "failed").strip();
                    boolean expectation = cls.isEmpty() || cls.startsWith("RSpec::Expectations::");
                    results.add(new CheckResult(suite, id, title, expectation ? Status.FAILED : Status.ERROR,
                            expectation ? message : cls + ": " + message, seconds));
                }
                default -> results.add(new CheckResult(suite, id, title, Status.ERROR,
                        "unknown rspec status '" + status + "'", seconds));
            }
        }
        int outside = root.path("summary").path("errors_outside_of_examples_count").asInt(0);
        if (outside > 0) {
            List<String> messages = new ArrayList<>();
            root.path("messages").forEach(m -> messages.add(m.asText().strip()));
            String text = messages.isEmpty() ? outside + " error(s) occurred outside of examples"
                    : String.join("\n", messages);
            results.add(new CheckResult("rspec", "errors outside of examples",
                    outside + (outside == 1 ? " error" : " errors") + " outside of examples", Status.ERROR, text, 0));
        }
        return results;
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
