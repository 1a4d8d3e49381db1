package io.github.amimaven.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Values that must never leave the build in clear: AWS secret keys and session tokens, the build's private keys,
 * provisioner variables marked secret, passwords from settings.xml servers. Everything the build writes for
 * people to read (log lines, exception messages, report files, remote output) passes through {@link #redact},
 * which replaces each registered value by {@value #MASK}.
 *
 * <p>One registry per JVM ({@link #global()}): log lines, reports and exceptions are produced on every thread of
 * the build, and masking a value that another build in the same JVM registered costs nothing. Values shorter
 * than {@value #MIN_LENGTH} characters are not registered: masking {@code "1"} or {@code "yes"} everywhere would
 * make every log unreadable while hiding nothing.</p>
 */
public final class Secrets {

    public static final String MASK = "****";
    public static final int MIN_LENGTH = 4;

    /** Lines of a multi-line secret (a PEM key) are masked on their own too when at least this long. */
    private static final int MIN_LINE_LENGTH = 12;

    private static final Secrets GLOBAL = new Secrets();

    /** Longest first, so that a secret containing another is masked whole. Replaced, never mutated. */
    private volatile List<String> values = List.of();

    /** The registry of this JVM, which the build's sinks apply. */
    public static Secrets global() {
        return GLOBAL;
    }

    /**
     * Registers a value, with the forms it takes in JSON and XML files, and each line of a multi-line value.
     *
     * @return false when the value is null or too short to be masked
     */
    public boolean add(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return false;
        }
        Set<String> forms = new LinkedHashSet<>();
        addForms(value, forms);
        addForms(value.strip(), forms);
        if (value.strip().contains("\n")) {
            for (String line : value.split("\\R")) {
                String l = line.strip();
                // PEM armour lines are the same for every key and say nothing
                if (l.length() >= MIN_LINE_LENGTH && !l.startsWith("-----")) {
                    addForms(l, forms);
                }
            }
        }
        synchronized (this) {
            Set<String> all = new LinkedHashSet<>(values);
            if (!all.addAll(forms)) {
                return true;
            }
            List<String> sorted = new ArrayList<>(all);
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            values = Collections.unmodifiableList(sorted);
        }
        return true;
    }

    /** Registers key material given as bytes (a PEM private key). */
    public boolean add(byte[] value) {
        return value != null && add(new String(value, StandardCharsets.UTF_8));
    }

    private static void addForms(String value, Set<String> forms) {
        forms.add(value);
        forms.add(new String(JsonStringEncoder.getInstance().quoteAsString(value)));
        forms.add(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"));
        forms.add(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The text with every registered value replaced by {@value #MASK}; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String value : values) {
            if (out.contains(value)) {
                out = out.replace(value, MASK);
            }
        }
        return out;
    }

    /** True when the text holds a registered value. */
    public boolean appearsIn(String text) {
        return text != null && !text.equals(redact(text));
    }

    /** Rewrites a file (a tool's report) with every registered value masked; leaves it alone when it holds none. */
    public void redactFile(Path file) throws IOException {
        if (values.isEmpty() || !Files.isRegularFile(file)) {
            return;
        }
        // ISO-8859-1 maps bytes 1:1, so bytes that are not UTF-8 survive; secrets are matched by their UTF-8 bytes
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        String redacted = content;
        for (String value : values) {
            String asBytes = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            redacted = redacted.replace(asBytes, MASK);
        }
        if (!redacted.equals(content)) {
            Files.write(file, redacted.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * The exception itself when no message of it, its causes or suppressed exceptions holds a secret; else a copy
     * of the whole chain with masked messages, each link printing as the original class with the original stack
     * trace, so that Maven's error output (and {@code -e}) reads as before minus the secrets.
     */
    public Throwable redact(Throwable t) {
        if (t == null || !leaks(t, Collections.newSetFromMap(new IdentityHashMap<>()))) {
            return t;
        }
        return copy(t, new IdentityHashMap<>());
    }

    private boolean leaks(Throwable t, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return false;
        }
        if (appearsIn(t.getMessage()) || appearsIn(t.getLocalizedMessage()) || leaks(t.getCause(), seen)) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (leaks(s, seen)) {
                return true;
            }
        }
        return false;
    }

    private RedactedException copy(Throwable t, IdentityHashMap<Throwable, RedactedException> copies) {
        RedactedException done = copies.get(t);
        if (done != null) {
            return done;
        }
        RedactedException c = new RedactedException(t.getClass().getName(), redact(t.getMessage()));
        copies.put(t, c);
        c.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t) {
            c.initCause(copy(t.getCause(), copies));
        }
        for (Throwable s : t.getSuppressed()) {
            c.addSuppressed(copy(s, copies));
        }
        return c;
    }

    /** A link of a redacted exception chain: prints as the exception it replaces. */
    public static final class RedactedException extends RuntimeException {

        private final String originalClass;

        RedactedException(String originalClass, String message) {
            super(message);
            this.originalClass = originalClass;
        }

        /** The class name of the exception this one replaces. */
        public String originalClass() {
            return originalClass;
        }

        @Override
        public String toString() {
            String message = getLocalizedMessage();
            return message == null ? originalClass : originalClass + ": " + message;
        }
    }
}
