package io.github.amimaven.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders image names from a template. Names carry a UTC timestamp so every build makes a new, unique image
 * (launch configurations that point at an older one keep working).
 */
public final class ImageNamer {

    public static final String DEFAULT_TEMPLATE = "{name}-{timestamp}";
    public static final Set<String> TOKENS = Set.of("name", "version", "timestamp", "date", "time", "buildId");

    private static final Pattern TOKEN = Pattern.compile("\\{([^{}]*)}");
    /** What EC2 accepts in an image name. */
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9()\\[\\] ./'@_-]{3,128}");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

    private ImageNamer() {
    }

    /**
     * What marks a candidate's name when the release is a copy ({@code <promotion>copy</promotion>}): the release
     * takes the same name without it. A prefix, so that name patterns such as {@code web-*} find releases only.
     */
    public static final String CANDIDATE_MARKER = "candidate-";

    /** The template of a candidate whose release will be a copy named by {@code template}. */
    public static String candidateTemplate(String template) {
        return CANDIDATE_MARKER + template;
    }

    /** The release name of a candidate named with the marker; null when the name has none. */
    public static String releaseName(String candidateName) {
        return candidateName != null && candidateName.startsWith(CANDIDATE_MARKER)
                && candidateName.length() > CANDIDATE_MARKER.length()
                ? candidateName.substring(CANDIDATE_MARKER.length()) : null;
    }

    public static String render(String template, String name, String version, String buildId, Instant at) {
        Map<String, String> values = Map.of("name", name, "version", version, "buildId", buildId,
                "timestamp", TIMESTAMP.format(at), "date", DATE.format(at), "time", TIME.format(at));
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown token {" + m.group(1) + "} in image name template '"
                        + template + "'; known: " + String.join(", ", TOKENS));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Null when the template is usable, else what is wrong with it. */
    public static String problem(String template, String name, String version) {
        Matcher m = TOKEN.matcher(template);
        while (m.find()) {
            if (!TOKENS.contains(m.group(1))) {
                return "has unknown token {" + m.group(1) + "} (known: {" + String.join("}, {", TOKENS) + "})";
            }
        }
        String sample = render(template, name, version, "b-00000000", Instant.EPOCH);
        if (!VALID_NAME.matcher(sample).matches()) {
            return "renders as '" + sample + "', which EC2 rejects (3 to 128 of letters, digits, ( ) [ ] space . / ' @ _ -)";
        }
        if (!template.contains("{timestamp}") && !template.contains("{buildId}") && !template.contains("{time}")) {
            return "has no {timestamp}, {time} or {buildId}, so a second build would reuse the name";
        }
        return null;
    }
}
