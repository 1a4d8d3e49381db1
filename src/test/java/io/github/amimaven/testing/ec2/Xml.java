package io.github.amimaven.testing.ec2;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * A minimal streaming XML writer for EC2 responses. Elements with a null value are left out rather than written
 * empty, because the SDK unmarshallers read an empty element as an empty string, not as absent.
 */
final class Xml {

    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /** EC2 prints times with milliseconds and Z; some SDKs refuse other ISO-8601 shapes. */
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(1024);
    private final Deque<String> open = new ArrayDeque<>();

    Xml start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml startRoot(String name) {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<").append(name)
                .append(" xmlns=\"").append(NAMESPACE).append("\">");
        open.push(name);
        return this;
    }

    Xml end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    Xml el(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant i ? time(i) : String.valueOf(value);
        out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    /** An element that must be present even when empty, e.g. {@code <output/>}. */
    Xml elAlways(String name, String value) {
        return el(name, value == null ? "" : value);
    }

    Xml tagSet(Map<String, String> tags) {
        return tagSet("tagSet", tags);
    }

    Xml tagSet(String element, Map<String, String> tags) {
        start(element);
        tags.forEach((k, v) -> start("item").el("key", k).el("value", v).end());
        return end();
    }

    Xml state(String element, Resources.InstanceState state) {
        return start(element).el("code", state.code).el("name", state.label).end();
    }

    static String time(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&apos;";
                default -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') ? "" : null;
            };
            if (r != null) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(r);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    @Override
    public String toString() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("unclosed elements " + open);
        }
        return out.toString();
    }
}
