package io.github.amimaven.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import io.github.amimaven.log.Secrets;

/**
 * Verification results in the file CI servers read: one JUnit XML file per image, {@code TEST-ami-<image>.xml},
 * in the schema Jenkins' JUnit plugin reads (one {@code <testsuite>} named {@code ami.<image>}, one
 * {@code <testcase>} per check). {@link TestSummary} writes {@code summary.json} next to them.
 */
public final class JUnitReports {

    /** Under the project's build directory: {@code target/ami-reports/}. */
    public static final String DIRECTORY = "ami-reports";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final int MAX_MESSAGE_ATTRIBUTE = 1000;

    private JUnitReports() {
    }

    public static String fileName(String image) {
        return "TEST-ami-" + image.replaceAll("[^A-Za-z0-9._-]", "_") + ".xml";
    }

    /** Writes {@code TEST-ami-<image>.xml} in {@code directory}, on this machine's hostname; returns its path. */
    public static Path writeImage(Path directory, String image, List<VerifierReport> reports, Instant timestamp)
            throws IOException {
        return writeImage(directory, image, reports, timestamp, hostname());
    }

    public static Path writeImage(Path directory, String image, List<VerifierReport> reports, Instant timestamp,
            String hostname) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(fileName(image));
        Path temp = directory.resolve(fileName(image) + ".tmp");
        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(xml, "UTF-8");
            writeSuite(w, image, reports, timestamp, hostname);
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        Files.writeString(temp, Secrets.global().redact(xml.toString(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static void writeSuite(XMLStreamWriter w, String image, List<VerifierReport> reports, Instant timestamp,
            String hostname) throws XMLStreamException {
        List<CheckResult> all = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        for (VerifierReport r : reports) {
            for (CheckResult c : r.results()) {
                all.add(c);
                classNames.add("ami." + image + "." + className(c.suite()));
            }
        }
        TestSummary.Totals totals = TestSummary.Totals.of(all);
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeStartElement("testsuite");
        w.writeAttribute("name", "ami." + image);
        w.writeAttribute("tests", String.valueOf(totals.tests()));
        w.writeAttribute("failures", String.valueOf(totals.failures()));
        w.writeAttribute("errors", String.valueOf(totals.errors()));
        w.writeAttribute("skipped", String.valueOf(totals.skipped()));
        w.writeAttribute("time", seconds(all.stream().mapToDouble(CheckResult::seconds).sum()));
        w.writeAttribute("timestamp", TIMESTAMP.format(timestamp.truncatedTo(ChronoUnit.SECONDS)));
        w.writeAttribute("hostname", clean(hostname));
        w.writeCharacters("\n");
        for (int i = 0; i < all.size(); i++) {
            CheckResult c = all.get(i);
            w.writeCharacters("  ");
            w.writeStartElement("testcase");
            w.writeAttribute("name", clean(c.title().equals(c.id()) ? c.id() : c.id() + ": " + c.title()));
            w.writeAttribute("classname", clean(classNames.get(i)));
            w.writeAttribute("time", seconds(c.seconds()));
            switch (c.status()) {
                case PASSED -> { }
                case SKIPPED -> {
                    // jenkins-junit.xsd gives <skipped> simple content only: the reason goes in its text
                    w.writeStartElement("skipped");
                    w.writeCharacters(clean(c.message()));
                    w.writeEndElement();
                }
                case FAILED, ERROR -> {
                    w.writeStartElement(c.status() == CheckResult.Status.FAILED ? "failure" : "error");
                    w.writeAttribute("message", clean(abbreviate(firstLine(c.message()))));
                    w.writeAttribute("type", c.status() == CheckResult.Status.FAILED ? "CheckFailed" : "CheckError");
                    w.writeCharacters(clean(c.message()));
                    w.writeEndElement();
                }
            }
            w.writeEndElement();
            w.writeCharacters("\n");
        }
        w.writeStartElement("system-out");
        StringBuilder out = new StringBuilder("\n");
        for (VerifierReport r : reports) {
            out.append(r.verifier()).append(": ").append(r.summary());
            if (r.rawReport() != null) {
                out.append(" (report: ").append(r.rawReport()).append(')');
            }
            out.append('\n');
        }
        w.writeCharacters(clean(out.toString()));
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
    }

    /** A suite (profile name, spec file path) as the last part of a classname: no dots, no spaces. */
    static String className(String suite) {
        String s = suite.replaceFirst("^\\./", "").replaceAll("[^\\p{L}\\p{N}_-]+", "_").replaceAll("^_+|_+$", "");
        return s.isEmpty() ? "checks" : s;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static String firstLine(String s) {
        return s.strip().lines().findFirst().orElse("");
    }

    private static String abbreviate(String s) {
        return s.length() <= MAX_MESSAGE_ATTRIBUTE ? s : s.substring(0, MAX_MESSAGE_ATTRIBUTE - 3) + "...";
    }

    /** Drops what XML 1.0 cannot hold (control characters, lone surrogates); escaping is the writer's job. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
            if (ok) {
                b.appendCodePoint(cp);
            } else if (cp == 0x1B) {
                b.append("\\e");
            }
        }
        return b.toString();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
