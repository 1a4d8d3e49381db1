package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.amimaven.testing.PomBinder;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** {@code <verifiers>} bound by Maven's own configurator, then validated. */
class VerifierBindingTest {

    @TempDir
    Path basedir;

    @Test
    void bindsEveryVerifierByElementName() throws Exception {
        Files.createDirectories(basedir.resolve("profiles/baseline"));
        Files.writeString(basedir.resolve("profiles/baseline/inspec.yml"), "name: baseline\n");
        Files.writeString(basedir.resolve("inputs.yml"), "x: 1\n");
        Files.writeString(basedir.resolve("waivers.yml"), "c-1:\n  justification: later\n");
        Files.createDirectories(basedir.resolve("src/test/pester"));
        Files.createDirectories(basedir.resolve("src/test/serverspec"));
        Files.createDirectories(basedir.resolve("src/test/testinfra"));
        VerifiersHolder holder = PomBinder.bind(new VerifiersHolder(), """
                <verifiers>
                  <inspec>
                    <profile>profiles/baseline</profile>
                    <sudo>true</sudo>
                    <inputs><port>22</port><banner>Authorized use only</banner></inputs>
                    <inputFile>inputs.yml</inputFile>
                    <controls><control>ssh-01</control><control>ssh-02</control></controls>
                    <waiverFile>waivers.yml</waiverFile>
                    <executable>bundle exec inspec</executable>
                  </inspec>
                  <pester><path>src/test/pester</path><executable>pwsh</executable><format>JUnitXml</format></pester>
                  <serverspec><specDir>src/test/serverspec</specDir><pattern>*_spec.rb</pattern></serverspec>
                  <testinfra><tests>src/test/testinfra</tests><executable>py.test</executable></testinfra>
                  <command>
                    <checks>
                      <run><command>sshd -t</command><exitCode>0</exitCode><stdout>^ok$</stdout></run>
                      <fileCheck><path>/etc/motd</path><mode>0644</mode><owner>root</owner><contains>Welcome</contains></fileCheck>
                      <fileCheck><path>/root/.bash_history</path><exists>false</exists></fileCheck>
                      <packageInstalled>openssh-server</packageInstalled>
                      <service><name>ssh</name><enabled>true</enabled><active>false</active></service>
                      <port>22</port>
                    </checks>
                  </command>
                </verifiers>
                """);
        List<VerifierConfig> configs = holder.verifiers();
        assertEquals(List.of(Inspec.class, Pester.class, Serverspec.class, Testinfra.class, Command.class),
                configs.stream().map(Object::getClass).toList());
        assertEquals(List.of(Run.class, FileCheck.class, FileCheck.class, PackageInstalled.class, Service.class, Port.class),
                ((Command) configs.get(4)).getChecks().stream().map(Object::getClass).toList());

        Errors errors = new Errors();
        List<Verifier> verifiers = configs.stream()
                .map(c -> c.resolve(new ProjectFiles(basedir, false), "<verifiers>/<" + c.element() + ">", errors)).toList();
        assertEquals(List.of(), errors.messages());
        assertInstanceOf(InspecVerifier.class, TimeBoundVerifier.unwrap(verifiers.get(0)));
        assertEquals("inspec " + basedir.resolve("profiles/baseline") + " (sudo)", verifiers.get(0).describe());
        assertInstanceOf(PesterVerifier.class, TimeBoundVerifier.unwrap(verifiers.get(1)));
        assertInstanceOf(ServerspecVerifier.class, TimeBoundVerifier.unwrap(verifiers.get(2)));
        assertInstanceOf(TestinfraVerifier.class, TimeBoundVerifier.unwrap(verifiers.get(3)));
        assertEquals(TimeBoundVerifier.DEFAULT, ((TimeBoundVerifier) verifiers.get(0)).timeout());
        assertEquals("<verifiers>/<inspec>/<timeout>", ((TimeBoundVerifier) verifiers.get(0)).setting());
        CommandVerifier command = (CommandVerifier) TimeBoundVerifier.unwrap(verifiers.get(4));
        assertEquals(List.of("run sshd -t", "file /etc/motd", "file /root/.bash_history", "package openssh-server",
                "service ssh", "port 22"), command.checks().stream().map(CommandVerifier.Check::describe).toList());
        CommandVerifier.FileCheck motd = (CommandVerifier.FileCheck) command.checks().get(1);
        assertEquals(0644, motd.mode());
        assertEquals("root", motd.owner());
        assertEquals("Welcome", motd.content().pattern());
        assertEquals(false, ((CommandVerifier.FileCheck) command.checks().get(2)).exists());
        assertEquals(new CommandVerifier.Service("ssh", true, false), command.checks().get(4));
        assertEquals(new CommandVerifier.Port(22), command.checks().get(5));
        CommandVerifier.Run run = (CommandVerifier.Run) command.checks().get(0);
        assertEquals(0, run.exitCode());
        assertNull(run.stderr());
    }

    @Test
    void reportsEveryProblemWithItsPomPath() throws Exception {
        VerifiersHolder holder = PomBinder.bind(new VerifiersHolder(), """
                <verifiers>
                  <inspec><inputFile>missing.yml</inputFile></inspec>
                  <pester><path>nope</path><format>Html</format></pester>
                  <serverspec><specDir>absent</specDir></serverspec>
                  <testinfra/>
                  <command>
                    <checks>
                      <run><exitCode>300</exitCode><stdout>(unclosed</stdout></run>
                      <fileCheck><path>etc/motd</path><mode>rw-r--r--</mode></fileCheck>
                      <packageInstalled/>
                      <port>http</port>
                    </checks>
                  </command>
                  <command/>
                </verifiers>
                """);
        Errors errors = new Errors();
        int i = 0;
        for (VerifierConfig c : holder.verifiers()) {
            i++;
            assertNull(c.resolve(new ProjectFiles(basedir, false), "<verifiers>/<" + c.element() + ">[" + i + "]", errors), c.element());
        }
        List<String> m = errors.messages();
        String all = String.join("\n", m);
        for (String expected : List.of(
                "<verifiers>/<inspec>[1]/<profile> is missing",
                "<verifiers>/<inspec>[1]/<inputFile> 'missing.yml' does not exist",
                "<verifiers>/<pester>[2]/<path> 'nope' does not exist",
                "<verifiers>/<pester>[2]/<format> 'Html' is unknown: use NUnitXml or JUnitXml",
                "<verifiers>/<serverspec>[3]/<specDir> 'absent' does not exist",
                "<verifiers>/<testinfra>[4]/<tests> is missing",
                "<verifiers>/<command>[5]/<checks>/<run>[1]/<command> is missing",
                "<verifiers>/<command>[5]/<checks>/<run>[1]/<exitCode> is 300: exit codes are 0 to 255",
                "<verifiers>/<command>[5]/<checks>/<run>[1]/<stdout> '(unclosed' is not a valid regular expression",
                "<verifiers>/<command>[5]/<checks>/<fileCheck>[2]/<path> 'etc/motd' is not absolute",
                "<verifiers>/<command>[5]/<checks>/<fileCheck>[2]/<mode> 'rw-r--r--' is not an octal mode",
                "<verifiers>/<command>[5]/<checks>/<packageInstalled>[3] names no package",
                "<verifiers>/<command>[5]/<checks>/<port>[4] 'http' is not a TCP port",
                "<verifiers>/<command>[6]/<checks> is empty")) {
            assertTrue(m.stream().anyMatch(s -> s.startsWith(expected)), "missing: " + expected + "\nin:\n" + all);
        }
        assertEquals(14, m.size(), all);
    }

    /**
     * Without a check in AmiConfigurator (as it has for provisioners) Maven's own message is all there is; the
     * pipeline wiring should add one listing {@link VerifierConfig#ELEMENTS}.
     */
    @Test
    void unknownVerifierIsRejected() {
        Exception e = assertThrows(Exception.class,
                () -> PomBinder.bind(new VerifiersHolder(), "<verifiers><goss><file>goss.yaml</file></goss></verifiers>"));
        assertTrue(String.valueOf(e.getMessage()).contains("VerifierConfig"), e.getMessage());
    }
}
