package io.github.amimaven.verify;

import io.github.amimaven.provision.File;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.verify.CheckResult.Status;

/** Real rspec + serverspec from this machine, over SSH to the test sshd. */
class ServerspecVerifierIT {

    private static TestMachine machine;

    @BeforeAll
    static void start() throws Exception {
        RequiredTool.serverspec();
        machine = TestMachine.start("127.0.0.42", "serverspecit");
    }

    @AfterAll
    static void stop() throws Exception {
        if (machine != null) {
            machine.close();
        }
    }

    @Test
    void runsSpecsOverSshAndParsesTheJsonReport() throws Exception {
        Path motd = machine.file("motd", "Welcome to the candidate image\n", "rw-r--r--");
        Path specs = Files.createDirectories(machine.base.resolve("project/src/test/serverspec/base"));
        Files.writeString(specs.resolve("base_spec.rb"), """
                require 'spec_helper'

                describe file('%1$s') do
                  it { should be_file }
                  it { should be_mode 644 }
                  its(:content) { should match /Welcome/ }
                end

                describe file('%1$s') do
                  it { should be_mode 600 }
                end

                describe command('id -un') do
                  its(:stdout) { should eq "%2$s\\n" }
                  its(:exit_status) { should eq 0 }
                end

                describe command('hostname') do
                  xit 'is named after the image' do
                    expect(subject.stdout).to match(/web/)
                  end
                end
                """.formatted(motd, machine.sshd.user()));
        ServerspecVerifier verifier = new ServerspecVerifier(null, "src/test/serverspec", specs.getParent(), null, false);

        long start = System.nanoTime();
        VerifierReport report = verifier.verify(machine.context("web"));
        System.out.printf("serverspec run: %.1f s%n", (System.nanoTime() - start) / 1e9);

        Map<String, CheckResult> r = report.results().stream()
                .collect(Collectors.toMap(CheckResult::id, Function.identity()));
        assertEquals(7, report.total(), r.keySet()::toString);
        assertEquals(Status.PASSED, r.get("File \"" + motd + "\" is expected to be file").status());
        assertEquals(Status.PASSED, r.get("File \"" + motd + "\" is expected to be mode 644").status());
        assertEquals(Status.PASSED, r.get("File \"" + motd + "\" content is expected to match /Welcome/").status());
        CheckResult mode = r.get("File \"" + motd + "\" is expected to be mode 600");
        assertEquals(Status.FAILED, mode.status());
        assertTrue(mode.message().contains("mode?(600)"), mode.message());
        assertEquals(Status.PASSED, r.get("Command \"id -un\" stdout is expected to eq \"" + machine.sshd.user() + "\\n\"").status());
        assertEquals(Status.SKIPPED, r.get("Command \"hostname\" is named after the image").status());
        assertEquals("base/base_spec.rb", mode.suite());
        assertEquals(5, report.passed());
        assertEquals(1, report.failures());
        assertTrue(Files.isRegularFile(report.rawReport()));
        assertFalse(Files.exists(machine.base.resolve("work/web/serverspec-id")), "the key file is deleted");
        assertTrue(machine.log.lines().stream().anyMatch(l -> l.contains("7 examples, 1 failure, 1 pending")),
                machine.log.text());
    }

    @Test
    void aSpecThatDoesNotLoadIsAnErrorResult() throws Exception {
        Path specs = Files.createDirectories(machine.base.resolve("broken"));
        Files.writeString(specs.resolve("broken_spec.rb"), "require 'spec_helper'\ndescribe fle('/etc/motd') do\nend\n");
        VerifierReport report = new ServerspecVerifier(null, "broken", specs, null, false).verify(machine.context("broken"));
        assertEquals(1, report.errors(), report.results()::toString);
        assertTrue(report.results().get(0).message().contains("undefined method `fle'"), report.results().get(0).message());
    }

    @Test
    void aMissingRspecIsAVerifyException() {
        ServerspecVerifier v = new ServerspecVerifier(List.of("/nonexistent/rspec"), "x", machine.base, null, false);
        VerifyException e = assertThrows(VerifyException.class, () -> v.verify(machine.context("missing")));
        assertTrue(e.getMessage().contains("was not found"), e.getMessage());
    }
}
