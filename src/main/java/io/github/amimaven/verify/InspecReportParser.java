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
 * Reads InSpec's {@code json} reporter output ({@code platform}, {@code profiles[].controls[].results[]},
 * {@code statistics}, {@code version}) into one {@link CheckResult} per control.
 *
 * <ul>
 *   <li>a control with a result of status {@code error}, or a failed result carrying an exception that is not a
 *       failed expectation, is ERROR;</li>
 *   <li>else one with a failed result is FAILED, the message being the first failing {@code code_desc} and its
 *       {@code message};</li>
 *   <li>a control whose results are all skipped (or that has none) is SKIPPED with the first {@code skip_message};</li>
 *   <li>a waived control ({@code waiver_data} with {@code skipped_due_to_waiver}, or {@code run: true} and an
 *       unexpired waiver) is SKIPPED with the waiver's justification, whatever its results;</li>
 *   <li>a profile that could not run ({@code status} {@code failed}) is one ERROR, a skipped profile (unsupported
 *       platform) one SKIPPED, each with the profile's {@code status_message}.</li>
 * </ul>
 */
public final class InspecReportParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private InspecReportParser() {
    }

    public static List<CheckResult> parse(Path report) throws VerifyException {
        try {
            return parse(Files.readString(report));
        } catch (IOException e) {
            throw new VerifyException("cannot read the InSpec report " + report + ": " + e.getMessage(), e);
        }
    }

    public static List<CheckResult> parse(String json) throws VerifyException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new VerifyException("the InSpec JSON report cannot be parsed: " + e.getMessage(), e);
        }
        if (root == null || !root.path("profiles").isArray()) {
            throw new VerifyException("the InSpec JSON report has no profiles[]: is it the output of --reporter json?");
        }
        List<CheckResult> results = new ArrayList<>();
        for (JsonNode profile : root.path("profiles")) {
            String suite = text(profile, "name", "profile");
            String status = text(profile, "status", "loaded");
            String statusMessage = text(profile, "status_message", text(profile, "skip_message", ""));
            if ("failed".equals(status)) {
                results.add(new CheckResult(suite, "profile " + suite, text(profile, "title", suite), Status.ERROR,
                        statusMessage.isEmpty() ? "the profile failed to load" : statusMessage, 0));
                continue;
            }
            if ("skipped".equals(status)) {
                results.add(new CheckResult(suite, "profile " + suite, text(profile, "title", suite), Status.SKIPPED,
                        statusMessage.isEmpty() ? "the profile was skipped" : statusMessage, 0));
                continue;
            }
            for (JsonNode control : profile.path("controls")) {
                results.add(control(suite, control));
            }
        }
        return results;
    }

    private static CheckResult control(String suite, JsonNode control) {
        String id = text(control, "id", "(no id)");
        String title = text(control, "title", id);
        double seconds = 0;
        JsonNode error = null;
        JsonNode failure = null;
        int failures = 0;
        int skipped = 0;
        int count = 0;
        JsonNode firstSkip = null;
        for (JsonNode r : control.path("results")) {
            count++;
            seconds += r.path("run_time").asDouble(0);
            String status = text(r, "status", "");
            switch (status) {
                case "passed" -> { }
                case "skipped" -> {
                    skipped++;
                    if (firstSkip == null) {
                        firstSkip = r;
                    }
                }
                case "failed" -> {
                    if (isError(r)) {
                        if (error == null) {
                            error = r;
                        }
                    } else {
                        failures++;
                        if (failure == null) {
                            failure = r;
                        }
                    }
                }
                default -> {
                    if (error == null) {
                        error = r;
                    }
                }
            }
        }
        JsonNode waiver = control.path("waiver_data");
        if (isWaived(waiver)) {
            String justification = text(waiver, "justification", "no justification given");
            String ran = waiver.path("skipped_due_to_waiver").asBoolean(false) ? ""
                    : failures > 0 ? " (ran: " + failures + " failed)" : error != null ? " (ran: error)" : " (ran: passed)";
            return new CheckResult(suite, id, title, Status.SKIPPED, "waived: " + justification + ran, seconds);
        }
        if (error != null) {
            return new CheckResult(suite, id, title, Status.ERROR, describe(error), seconds);
        }
        if (failure != null) {
            String more = failures > 1 ? "\n(and " + (failures - 1) + " more failing tests in this control)" : "";
            return new CheckResult(suite, id, title, Status.FAILED, describe(failure) + more, seconds);
        }
        if (count == 0) {
            return new CheckResult(suite, id, title, Status.SKIPPED, "the control has no tests", seconds);
        }
        if (skipped == count) {
            return new CheckResult(suite, id, title, Status.SKIPPED, text(firstSkip, "skip_message",
                    text(firstSkip, "code_desc", "skipped")), seconds);
        }
        return new CheckResult(suite, id, title, Status.PASSED, "", seconds);
    }

    /** A failed result that is a crash of the test code rather than an unmet expectation. */
    private static boolean isError(JsonNode result) {
        String exception = text(result, "exception", "");
        return !exception.isEmpty() && !exception.startsWith("RSpec::Expectations::")
                && !exception.equals("Inspec::Exceptions::ResourceFailed");
    }

    private static boolean isWaived(JsonNode waiver) {
        if (!waiver.isObject() || waiver.isEmpty()) {
            return false;
        }
        if (waiver.path("skipped_due_to_waiver").asBoolean(false)) {
            return true;
        }
        boolean expired = text(waiver, "message", "").toLowerCase(java.util.Locale.ROOT).contains("expired");
        return !expired && waiver.has("justification") && waiver.path("run").asBoolean(false);
    }

    private static String describe(JsonNode result) {
        String codeDesc = text(result, "code_desc", "");
        String message = text(result, "message", "");
        String exception = text(result, "exception", "");
        StringBuilder b = new StringBuilder(codeDesc);
        if (!exception.isEmpty() && isError(result)) {
            b.append(b.length() > 0 ? "\n" : "").append(exception).append(':');
        }
        if (!message.isEmpty()) {
            b.append(b.length() > 0 ? (exception.isEmpty() || !isError(result) ? "\n" : " ") : "").append(message.strip());
        }
        if (b.length() == 0 && result.has("backtrace")) {
            b.append(result.path("backtrace").toString());
        }
        return b.toString();
    }

    private static String text(JsonNode node, String field, String fallback) {
        if (node == null) {
            return fallback;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
