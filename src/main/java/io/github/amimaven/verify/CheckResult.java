package io.github.amimaven.verify;

import java.util.Objects;

import io.github.amimaven.log.Secrets;

/**
 * The outcome of one check: an InSpec control, a Pester test, an rspec example, a pytest test, an assertion.
 *
 * @param suite   what grouped it: the profile, the spec file, the test class, the verifier
 * @param id      the check's identifier within the suite (control id, test name)
 * @param title   human-readable title; may equal the id
 * @param message why it failed, was skipped or errored; empty when it passed
 * @param seconds how long it took, 0 when unknown
 */
public record CheckResult(String suite, String id, String title, Status status, String message, double seconds) {

    public enum Status {
        PASSED, FAILED, SKIPPED, ERROR
    }

    public CheckResult {
        Objects.requireNonNull(suite, "suite");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        title = title == null || title.isBlank() ? id : title;
        // tools' reports (pytest XML, rspec JSON) are parsed here: masked before any report or log quotes them
        message = message == null ? "" : Secrets.global().redact(message);
        seconds = Double.isFinite(seconds) && seconds > 0 ? seconds : 0;
    }

    public static CheckResult passed(String suite, String id, String title, double seconds) {
        return new CheckResult(suite, id, title, Status.PASSED, "", seconds);
    }

    public static CheckResult failed(String suite, String id, String title, String message, double seconds) {
        return new CheckResult(suite, id, title, Status.FAILED, message, seconds);
    }

    public boolean isFailure() {
        return status == Status.FAILED || status == Status.ERROR;
    }

    /** One line for logs: {@code FAILED id: title - message}. */
    public String summary() {
        String head = status + " " + id + (title.equals(id) ? "" : ": " + title);
        return message.isEmpty() ? head : head + " - " + message.lines().findFirst().orElse("");
    }
}
