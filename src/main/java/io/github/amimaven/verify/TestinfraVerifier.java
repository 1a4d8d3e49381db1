package io.github.amimaven.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.github.amimaven.process.LocalProcess;
import io.github.amimaven.remote.SshTarget;

/**
 * Runs testinfra tests from the build machine with pytest, over the OpenSSH client to the machine:
 * {@code pytest -p no:cacheprovider --hosts=ssh://user@host:port?controlpersist=0 --ssh-config=f
 * --ssh-identity-file=key --junit-xml=file <tests>}. The generated ssh_config turns host key checking off (the
 * machine is new) and adds the bastion as a ProxyJump; {@code controlpersist=0} leaves no SSH master process
 * behind. pytest exits 0 or 1 with results; anything else is a {@link VerifyException}.
 */
public final class TestinfraVerifier implements Verifier {

    public static final List<String> DEFAULT_EXECUTABLE = List.of("python3", "-m", "pytest");
    /** Pythons tried in turn when no executable is configured: PATH's, then the system's (Debian's package). */
    static final List<String> PYTHONS = List.of("python3", "/usr/bin/python3");

    private final List<String> executable;
    private final String label;
    private final Path tests;
    private final boolean sudo;

    public TestinfraVerifier(List<String> executable, String label, Path tests, boolean sudo) {
        this.executable = executable == null || executable.isEmpty() ? null : List.copyOf(executable);
        this.label = label;
        this.tests = tests.toAbsolutePath().normalize();
        this.sudo = sudo;
    }

    @Override
    public String describe() {
        return "testinfra " + label + (sudo ? " (sudo)" : "");
    }

    @Override
    public VerifierReport verify(VerifyContext ctx) throws VerifyException, InterruptedException {
        Path report = ctx.workDir().resolve("testinfra-" + InspecVerifier.slug(label) + ".xml");
        try (SshClientFiles files = SshClientFiles.write(ctx.target(), ctx.hostKeys(), ctx.workDir(), "testinfra")) {
            Files.deleteIfExists(report);
            List<String> command = command(ctx.target(), files.config(), files.key(), report);
            Path dir = Files.isDirectory(tests) ? tests : tests.getParent();
            LocalTool.Result result = LocalTool.run("pytest", command, dir,
                    Map.of("PYTHONDONTWRITEBYTECODE", "1"), ctx.log());
            int exit = result.exitCode();
            if (exit == 5) {
                throw new VerifyException(describe() + ": pytest collected no tests in " + tests
                        + " (test files are named test_*.py or *_test.py)");
            }
            if (exit != 0 && exit != 1) {
                throw new VerifyException(describe() + ": pytest exited with " + exit + " (" + meaning(exit)
                        + "; 0 and 1 are results). Last output:\n" + result.tailText());
            }
            if (!Files.isRegularFile(report)) {
                throw new VerifyException(describe() + ": pytest exited with " + exit
                        + " but wrote no JUnit report. Last output:\n" + result.tailText());
            }
            return new VerifierReport(describe(), XmlReportParser.parse(report), report);
        } catch (IOException e) {
            throw new VerifyException(describe() + ": cannot prepare " + report + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configured pytest, or the first python that can import testinfra: a pyenv or virtualenv python first on
     * the PATH often lacks the plugin that the system python has.
     */
    private List<String> pytest() throws InterruptedException {
        if (executable != null) {
            return executable;
        }
        for (String python : PYTHONS) {
            try {
                if (LocalProcess.exitCode(List.of(python, "-c", "import testinfra, pytest"), Duration.ofSeconds(30))
                        .equals(OptionalInt.of(0))) {
                    return List.of(python, "-m", "pytest");
                }
            } catch (IOException e) {
                // not there: try the next
            }
        }
        return DEFAULT_EXECUTABLE;
    }

    List<String> command(SshTarget target, Path sshConfig, Path key, Path report) throws InterruptedException {
        List<String> c = new ArrayList<>(pytest());
        String host = target.bastion() == null ? InspecVerifier.urlHost(target.host()) : SshClientFiles.HOST_ALIAS;
        c.addAll(List.of("-p", "no:cacheprovider",
                "--hosts=ssh://" + target.user() + "@" + host + ":" + target.port() + "?controlpersist=0",
                "--ssh-config=" + sshConfig, "--ssh-identity-file=" + key));
        if (sudo) {
            c.add("--sudo");
        }
        c.addAll(List.of("--junit-xml=" + report, "-o", "junit_family=xunit2", "--color=no", "-rfEs",
                tests.toString()));
        return c;
    }

    private static String meaning(int exit) {
        return switch (exit) {
            case 2 -> "interrupted";
            case 3 -> "internal error";
            case 4 -> "usage error: is pytest-testinfra installed for this python? (apt-get install python3-testinfra, "
                    + "or set <executable>)";
            default -> "an error";
        };
    }
}
