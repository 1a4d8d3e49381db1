package io.github.amimaven.verify;

import io.github.amimaven.provision.File;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.github.amimaven.verify.CheckResult.Status;

/** Every parser against reports in each tool's own format, with passes, failures, skips, waivers and errors. */
class ReportParsersTest {

    static Path sample(String name) {
        try {
            return Path.of(ReportParsersTest.class.getResource("/verify/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, CheckResult> byId(List<CheckResult> results) {
        return results.stream().collect(Collectors.toMap(CheckResult::id, Function.identity()));
    }

    @Test
    void inspecOneResultPerControlWithWaiversSkipsAndErrors() throws Exception {
        List<CheckResult> results = InspecReportParser.parse(sample("inspec-linux-baseline.json"));
        assertEquals(List.of("ssh-01", "ssh-02", "ssh-03", "os-01", "os-02", "os-03", "os-04", "os-05", "os-06",
                "profile windows-baseline"), results.stream().map(CheckResult::id).toList());
        Map<String, CheckResult> r = byId(results);

        assertEquals(Status.PASSED, r.get("ssh-01").status());
        assertEquals("image-baseline", r.get("ssh-01").suite());
        assertEquals("SSH listens on the configured port", r.get("ssh-01").title());
        assertEquals(0.081613, r.get("ssh-01").seconds(), 1e-9);

        CheckResult rootLogin = r.get("ssh-02");
        assertEquals(Status.FAILED, rootLogin.status());
        assertTrue(rootLogin.message().startsWith("SSH Configuration PermitRootLogin is expected to eq \"no\"\n"
                + "expected: \"no\"\n     got: \"prohibit-password\""), rootLogin.message());
        assertTrue(rootLogin.message().endsWith("(and 1 more failing tests in this control)"), rootLogin.message());

        CheckResult waived = r.get("ssh-03");
        assertEquals(Status.SKIPPED, waived.status());
        assertEquals("waived: Banner text is pending legal review <JIRA-123> & \"sign-off\"", waived.message());

        assertEquals(Status.SKIPPED, r.get("os-01").status());
        assertEquals("Skipped control due to only_if condition: auditd installed", r.get("os-01").message());

        CheckResult crashed = r.get("os-02");
        assertEquals(Status.ERROR, crashed.status(), "an exception in the test code is an error, not a failure");
        assertEquals("Command: `sysctl -n net.ipv4.ip_forward` stdout\nNoMethodError: undefined method `strip' for nil:NilClass",
                crashed.message());

        CheckResult waivedButRun = r.get("os-03");
        assertEquals(Status.SKIPPED, waivedButRun.status());
        assertEquals("waived: Known issue in the vendor agent, ticket OPS-42 (ran: 1 failed)", waivedButRun.message());

        assertEquals(Status.PASSED, r.get("os-04").status(), "an expired waiver is evaluated normally");
        assertEquals(Status.SKIPPED, r.get("os-05").status());
        assertEquals("the control has no tests", r.get("os-05").message());
        assertEquals(Status.ERROR, r.get("os-06").status());
        assertTrue(r.get("os-06").message().contains("uninitialized constant"), r.get("os-06").message());

        CheckResult skippedProfile = r.get("profile windows-baseline");
        assertEquals(Status.SKIPPED, skippedProfile.status());
        assertEquals("Skipping profile: 'windows-baseline' on unsupported platform: 'debian/12.5'.", skippedProfile.message());

        VerifierReport report = new VerifierReport("inspec x", results, null);
        assertEquals(10, report.total());
        assertEquals(2, report.passed());
        assertEquals(1, report.failures());
        assertEquals(2, report.errors());
        assertEquals(5, report.skipped());
        assertEquals(List.of("ssh-02", "os-02", "os-06"), report.failed().stream().map(CheckResult::id).toList());
        assertEquals("10 checks: 2 passed, 1 failed, 2 errors, 5 skipped", report.summary());
    }

    @Test
    void inspecProfileThatFailedToLoadIsAnError() throws Exception {
        List<CheckResult> results = InspecReportParser.parse(sample("inspec-profile-failed.json"));
        assertEquals(1, results.size());
        assertEquals(Status.ERROR, results.get(0).status());
        assertEquals("profile broken-profile", results.get(0).id());
        assertTrue(results.get(0).message().startsWith("Cannot load 'linux-baseline'"), results.get(0).message());
    }

    @Test
    void inspecGarbageIsAVerifyException() {
        VerifyException e = assertThrows(VerifyException.class, () -> InspecReportParser.parse("{\"controls\": []}"));
        assertTrue(e.getMessage().contains("no profiles[]"), e.getMessage());
        e = assertThrows(VerifyException.class, () -> InspecReportParser.parse("Error: profile not found"));
        assertTrue(e.getMessage().contains("cannot be parsed"), e.getMessage());
    }

    @Test
    void pesterNUnit() throws Exception {
        List<CheckResult> results = PesterVerifier.parse(sample("pester-nunit.xml"));
        assertEquals(6, results.size());
        Map<String, CheckResult> r = byId(results);
        CheckResult firewall = r.get("Windows baseline.has the firewall enabled on every profile");
        assertEquals(Status.PASSED, firewall.status());
        assertEquals("Windows baseline", firewall.suite());
        assertEquals("has the firewall enabled on every profile", firewall.title());
        assertEquals(0.3121, firewall.seconds(), 1e-9);
        CheckResult smb = r.get("Windows baseline.disables SMBv1");
        assertEquals(Status.FAILED, smb.status());
        assertTrue(smb.message().startsWith("Expected $false, but got $true.\nat (Get-SmbServerConfiguration)"), smb.message());
        assertTrue(smb.message().contains("at <ScriptBlock>, C:\\Users"), smb.message());
        assertEquals(Status.SKIPPED, r.get("Windows baseline.joins the domain").status());
        assertEquals("Not joined to a domain in the image build", r.get("Windows baseline.joins the domain").message());
        assertEquals(Status.SKIPPED, r.get("Windows baseline.has the CloudWatch agent configured").status());
        CheckResult w32 = r.get("Windows baseline.runs service W32Time");
        assertEquals(Status.PASSED, w32.status());
        assertEquals("Windows baseline", w32.suite(), "a parameterized test's wrapper is not its suite");
    }

    @Test
    void pesterJUnit() throws Exception {
        List<CheckResult> results = PesterVerifier.parse(sample("pester-junit.xml"));
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.SKIPPED, Status.PASSED),
                results.stream().map(CheckResult::status).toList());
        assertTrue(results.get(1).message().startsWith("Expected $false, but got $true.\nat "), results.get(1).message());
        assertEquals("Not joined to a domain in the image build", results.get(2).message());
        assertEquals("C:\\Users\\Administrator\\ami-pester-1a2b3c4d\\tests\\Baseline.Tests.ps1", results.get(0).suite());
    }

    @Test
    void rspecJsonFromServerspec() throws Exception {
        List<CheckResult> results = RspecReportParser.parse(sample("rspec-serverspec.json"));
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.SKIPPED, Status.PASSED, Status.ERROR),
                results.stream().map(CheckResult::status).toList());
        CheckResult motd = results.get(1);
        assertEquals("spec/base_spec.rb", motd.suite());
        assertEquals("File \"/etc/motd\" is expected to be mode 644", motd.id());
        assertEquals("expected `File \"/etc/motd\".mode?(644)` to be truthy, got false", motd.message());
        assertEquals("Temporarily skipped with xit", results.get(2).message());
        assertEquals("NoMethodError: undefined method `strp' for \"0\\n\":String", results.get(4).message());
    }

    @Test
    void rspecErrorsOutsideExamplesAreErrors() throws Exception {
        List<CheckResult> results = RspecReportParser.parse(sample("rspec-load-error.json"));
        assertEquals(1, results.size());
        assertEquals(Status.ERROR, results.get(0).status());
        assertTrue(results.get(0).message().contains("An error occurred while loading ./spec/broken_spec.rb"),
                results.get(0).message());
    }

    @Test
    void pytestJUnitFromTestinfra() throws Exception {
        List<CheckResult> results = XmlReportParser.parse(sample("pytest-testinfra.xml"));
        assertEquals(List.of(Status.PASSED, Status.FAILED, Status.SKIPPED, Status.PASSED, Status.ERROR),
                results.stream().map(CheckResult::status).toList());
        CheckResult mode = results.get(1);
        assertEquals("test_base", mode.suite());
        assertEquals("test_motd_mode[ssh://127.0.0.7]", mode.id());
        assertTrue(mode.message().startsWith("AssertionError: assert 420 == 384\n +  where 420 = <file /etc/motd>.mode\n"),
                mode.message());
        assertTrue(mode.message().contains("test_base.py:9: AssertionError"), mode.message());
        assertEquals(0.208, mode.seconds(), 1e-9);
        assertTrue(results.get(2).message().startsWith("auditd is not installed in this image"), results.get(2).message());
        assertTrue(results.get(4).message().contains("fixture 'sysctl_values' not found"), results.get(4).message());
    }

    @Test
    void xmlThatIsNeitherJUnitNorNUnitIsAVerifyException() {
        VerifyException e = assertThrows(VerifyException.class,
                () -> XmlReportParser.parse("<html><body/></html>".getBytes(), "x.xml"));
        assertTrue(e.getMessage().contains("neither a JUnit nor an NUnit report"), e.getMessage());
        e = assertThrows(VerifyException.class, () -> XmlReportParser.parse("<testsuite".getBytes(), "x.xml"));
        assertTrue(e.getMessage().contains("not well-formed"), e.getMessage());
    }
}
