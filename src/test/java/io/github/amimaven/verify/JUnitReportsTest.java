package io.github.amimaven.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.github.amimaven.verify.CheckResult.Status;

/** JUnit XML per image, valid against the schema Jenkins reads. */
class JUnitReportsTest {

    static final String NASTY = "expected: \"no\" <got> 'yes' & more — naïve ☃ \u0001 \uD83D\uDE00\nsecond line";

    @TempDir
    Path dir;

    static List<VerifierReport> reports() {
        VerifierReport inspec = new VerifierReport("inspec profiles/baseline", List.of(
                CheckResult.passed("image-baseline", "ssh-01", "SSH listens", 0.0816),
                new CheckResult("image-baseline", "ssh-02", "Root login <disabled>", Status.FAILED, NASTY, 0.012),
                new CheckResult("image-baseline", "ssh-03", "Banner", Status.SKIPPED, "waived: pending <legal> & \"review\"", 0),
                new CheckResult("image-baseline", "os-02", "Kernel", Status.ERROR, "NoMethodError: undefined method", 0.02)),
                Path.of("/t/inspec.json"));
        VerifierReport command = new VerifierReport("command (1 check)", List.of(
                CheckResult.passed("command", "port 22", "port 22", 0.1)), null);
        return List.of(inspec, command);
    }

    @Test
    void writesOneValidSuitePerImage() throws Exception {
        Path file = JUnitReports.writeImage(dir.resolve("ami-reports"), "web", reports(),
                Instant.parse("2026-11-21T14:20:01.123Z"), "build-agent-3");
        assertEquals(dir.resolve("ami-reports/TEST-ami-web.xml"), file);

        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(JUnitReportsTest.class.getResource("/junit/jenkins-junit.xsd"))
                .newValidator().validate(new StreamSource(file.toFile()));

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        Element suite = doc.getDocumentElement();
        assertEquals("testsuite", suite.getTagName());
        assertEquals("ami.web", suite.getAttribute("name"));
        assertEquals("5", suite.getAttribute("tests"));
        assertEquals("1", suite.getAttribute("failures"));
        assertEquals("1", suite.getAttribute("errors"));
        assertEquals("1", suite.getAttribute("skipped"));
        assertEquals("0.214", suite.getAttribute("time"));
        assertEquals("2026-11-21T14:20:01", suite.getAttribute("timestamp"));
        assertEquals("build-agent-3", suite.getAttribute("hostname"));

        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(5, cases.getLength());
        Element first = (Element) cases.item(0);
        assertEquals("ami.web.image-baseline", first.getAttribute("classname"));
        assertEquals("ssh-01: SSH listens", first.getAttribute("name"));
        assertEquals("0.082", first.getAttribute("time"));

        Element failed = (Element) cases.item(1);
        assertEquals("ssh-02: Root login <disabled>", failed.getAttribute("name"));
        Element failure = (Element) failed.getElementsByTagName("failure").item(0);
        String expectedText = "expected: \"no\" <got> 'yes' & more — naïve ☃  \uD83D\uDE00\nsecond line";
        assertEquals(expectedText.lines().findFirst().get(), failure.getAttribute("message"));
        assertEquals(expectedText, failure.getTextContent());
        assertEquals("CheckFailed", failure.getAttribute("type"));

        Element skipped = (Element) ((Element) cases.item(2)).getElementsByTagName("skipped").item(0);
        assertEquals("waived: pending <legal> & \"review\"", skipped.getTextContent());
        Element error = (Element) ((Element) cases.item(3)).getElementsByTagName("error").item(0);
        assertEquals("NoMethodError: undefined method", error.getAttribute("message"));
        assertEquals("ami.web.command", ((Element) cases.item(4)).getAttribute("classname"));
        assertEquals("port 22", ((Element) cases.item(4)).getAttribute("name"));

        String systemOut = suite.getElementsByTagName("system-out").item(0).getTextContent();
        assertTrue(systemOut.contains("inspec profiles/baseline: 4 checks: 1 passed, 1 failed, 1 error, 1 skipped "
                + "(report: /t/inspec.json)"), systemOut);
        assertFalse(Files.readString(file).contains("\u0001"));
    }

    @Test
    void anImageWithNoChecksIsStillAValidSuite() throws Exception {
        Path file = JUnitReports.writeImage(dir, "empty.img", List.of(), Instant.now());
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(JUnitReportsTest.class.getResource("/junit/jenkins-junit.xsd"))
                .newValidator().validate(new StreamSource(file.toFile()));
        assertTrue(Files.readString(file).contains("tests=\"0\""));
    }

    @Test
    void classNamesHaveNoDotsFromPaths() {
        assertEquals("spec_base_spec_rb", JUnitReports.className("./spec/base_spec.rb"));
        assertEquals("C_Users_A_Baseline_Tests_ps1", JUnitReports.className("C:\\Users\\A\\Baseline.Tests.ps1"));
        assertEquals("checks", JUnitReports.className("..."));
    }
}
