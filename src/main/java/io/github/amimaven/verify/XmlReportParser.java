package io.github.amimaven.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import io.github.amimaven.verify.CheckResult.Status;

/**
 * Reads the XML test reports tools write: JUnit XML (pytest {@code --junit-xml}, Pester {@code JUnitXml}, most
 * other tools) and NUnit XML (Pester's {@code NUnitXml}, the NUnit 2.5 schema; NUnit 3's result names are
 * understood too). One {@link CheckResult} per test case.
 */
public final class XmlReportParser {

    private XmlReportParser() {
    }

    /** Reads a JUnit or an NUnit report, telling them apart by the root element. */
    public static List<CheckResult> parse(Path report) throws VerifyException {
        byte[] content;
        try {
            content = Files.readAllBytes(report);
        } catch (IOException e) {
            throw new VerifyException("cannot read the test report " + report + ": " + e.getMessage(), e);
        }
        return parse(content, report.toString());
    }

    public static List<CheckResult> parse(byte[] content, String what) throws VerifyException {
        Element root = document(content, what).getDocumentElement();
        return switch (root.getTagName()) {
            case "testsuites", "testsuite" -> junit(root);
            case "test-results", "test-run" -> nunit(root);
            default -> throw new VerifyException(what + " is neither a JUnit nor an NUnit report: its root element is <"
                    + root.getTagName() + ">");
        };
    }

    // ---- JUnit

    static List<CheckResult> junit(Element root) {
        List<CheckResult> results = new ArrayList<>();
        for (Element testcase : descendants(root, "testcase")) {
            Element suiteElement = ancestor(testcase, "testsuite");
            String suite = attr(testcase, "classname", suiteElement == null ? "tests" : attr(suiteElement, "name", "tests"));
            String name = attr(testcase, "name", "(unnamed)");
            double seconds = number(attr(testcase, "time", "0"));
            Element failure = child(testcase, "failure");
            Element error = child(testcase, "error");
            Element skipped = child(testcase, "skipped");
            if (error != null) {
                results.add(new CheckResult(suite, name, name, Status.ERROR, junitMessage(error), seconds));
            } else if (failure != null) {
                results.add(new CheckResult(suite, name, name, Status.FAILED, junitMessage(failure), seconds));
            } else if (skipped != null) {
                results.add(new CheckResult(suite, name, name, Status.SKIPPED, junitMessage(skipped), seconds));
            } else {
                results.add(CheckResult.passed(suite, name, name, seconds));
            }
        }
        return results;
    }

    /** The message attribute, then the body (pytest puts the assertion's detail there). */
    private static String junitMessage(Element e) {
        String message = attr(e, "message", "").strip();
        String body = e.getTextContent() == null ? "" : e.getTextContent().strip();
        if (message.isEmpty()) {
            return body;
        }
        if (body.isEmpty() || body.contains(message)) {
            return body.isEmpty() ? message : message + "\n" + body;
        }
        return message + "\n" + body;
    }

    // ---- NUnit

    static List<CheckResult> nunit(Element root) {
        List<CheckResult> results = new ArrayList<>();
        for (Element testcase : descendants(root, "test-case")) {
            String suite = suiteOf(testcase);
            String name = attr(testcase, "name", attr(testcase, "fullname", "(unnamed)"));
            String description = attr(testcase, "description", name);
            double seconds = number(attr(testcase, "time", attr(testcase, "duration", "0")));
            String result = attr(testcase, "result", "").toLowerCase(Locale.ROOT);
            String label = attr(testcase, "label", "").toLowerCase(Locale.ROOT);
            Status status = switch (result) {
                case "success", "passed" -> Status.PASSED;
                case "failure", "failed" -> label.equals("error") || label.equals("invalid") ? Status.ERROR : Status.FAILED;
                case "error", "notrunnable", "cancelled" -> Status.ERROR;
                case "ignored", "skipped", "inconclusive", "notrun" -> Status.SKIPPED;
                default -> "false".equalsIgnoreCase(attr(testcase, "executed", "true")) ? Status.SKIPPED
                        : "true".equalsIgnoreCase(attr(testcase, "success", "")) ? Status.PASSED : Status.ERROR;
            };
            String message = "";
            Element failure = child(testcase, "failure");
            Element reason = child(testcase, "reason");
            if (failure != null) {
                message = childText(failure, "message");
                String stack = childText(failure, "stack-trace");
                if (!stack.isEmpty()) {
                    message = message + (message.isEmpty() ? "" : "\n") + stack;
                }
            } else if (reason != null) {
                message = childText(reason, "message");
            }
            if (status != Status.PASSED && message.isEmpty()) {
                message = attr(testcase, "result", status.name());
            }
            results.add(new CheckResult(suite, name, description, status, message, seconds));
        }
        return results;
    }

    /** The nearest enclosing test-suite that is not a parameterized test's wrapper. */
    private static String suiteOf(Element testcase) {
        for (Node n = testcase.getParentNode(); n instanceof Element e; n = n.getParentNode()) {
            if (e.getTagName().equals("test-suite") && !"ParameterizedTest".equals(e.getAttribute("type"))) {
                return attr(e, "name", "tests");
            }
        }
        return "tests";
    }

    // ---- DOM helpers

    private static Document document(byte[] content, String what) throws VerifyException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(content));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new VerifyException("the test report " + what + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static List<Element> descendants(Element root, String tag) {
        List<Element> out = new ArrayList<>();
        var list = root.getElementsByTagName(tag);
        for (int i = 0; i < list.getLength(); i++) {
            out.add((Element) list.item(i));
        }
        if (root.getTagName().equals(tag)) {
            out.add(0, root);
        }
        return out;
    }

    private static Element ancestor(Element e, String tag) {
        for (Node n = e.getParentNode(); n instanceof Element p; n = n.getParentNode()) {
            if (p.getTagName().equals(tag)) {
                return p;
            }
        }
        return null;
    }

    private static Element child(Element e, String tag) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(tag)) {
                return c;
            }
        }
        return null;
    }

    private static String childText(Element e, String tag) {
        Element c = child(e, tag);
        return c == null || c.getTextContent() == null ? "" : c.getTextContent().strip();
    }

    private static String attr(Element e, String name, String fallback) {
        String v = e.getAttribute(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.replace(',', '.'));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
