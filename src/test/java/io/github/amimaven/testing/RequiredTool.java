package io.github.amimaven.testing;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import io.github.amimaven.testing.sshd.LoopbackSshd;

/**
 * The one way a test says it needs a real tool (sshd, QEMU, the base image, Ansible, testinfra, serverspec,
 * Packer). When the tool is missing: under {@code CI=true} the test fails, since a CI run that skipped it would be
 * green without proving what the suite claims; elsewhere it is skipped, loudly, with a {@code WARN} line on stderr
 * naming the tool and how to install it, so a developer's machine without QEMU still runs everything else.
 */
public final class RequiredTool {

    private static final RequiredTool PROCESS = new RequiredTool(System.getenv(), System.err);

    private final Map<String, String> environment;
    private final PrintStream warnings;

    /** A helper judging by {@code environment} ({@code CI}, {@code PATH}) that warns on {@code warnings}. */
    RequiredTool(Map<String, String> environment, PrintStream warnings) {
        this.environment = Map.copyOf(environment);
        this.warnings = warnings;
    }

    /** True when the environment says this is a CI run ({@code CI=true}, as CI services and {@code .ci/run} set it). */
    boolean ci() {
        return "true".equalsIgnoreCase(environment.getOrDefault("CI", "").strip());
    }

    /**
     * Goes on when {@code present}; else fails (CI) or skips with a warning. {@code what} names the tool,
     * {@code install} says how to get it ({@code apt-get install …}).
     */
    void check(boolean present, String what, String install) {
        if (present) {
            return;
        }
        String missing = what + " is missing (" + install + ")";
        if (ci()) {
            Assertions.fail(missing + "; CI=true: a test that needs it fails rather than skips");
        }
        warnings.println("[WARN] skipping " + caller() + ": " + missing + "; with CI=true this fails");
        warnings.flush();
        Assumptions.abort("skipped: " + missing);
    }

    /** The program's path on {@code PATH}, from the Debian package {@code aptPackage}. */
    Path onPath(String program, String aptPackage) {
        Optional<Path> found = find(program);
        check(found.isPresent(), program, "apt-get install " + aptPackage);
        return found.get();
    }

    private Optional<Path> find(String program) {
        for (String dir : environment.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program));
            }
        }
        return Optional.empty();
    }

    /** The test class that asked (not a helper such as a test machine between them), for the warning. */
    private static String caller() {
        List<String> callers = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> c != RequiredTool.class).map(Class::getSimpleName).toList());
        return callers.stream().filter(c -> c.endsWith("Test") || c.endsWith("IT")).findFirst()
                .orElse(callers.isEmpty() ? "a test" : callers.get(0));
    }

    // ---- the tools of this suite, for the process's own environment

    /** Fails (CI) or skips unless {@code present}; see the class comment. */
    public static void require(boolean present, String what, String install) {
        PROCESS.check(present, what, install);
    }

    /** A program on the PATH, from the Debian package {@code aptPackage}. */
    public static Path program(String program, String aptPackage) {
        return PROCESS.onPath(program, aptPackage);
    }

    /** OpenSSH's server, which the test sshd runs, and the client tools tests use with it. */
    public static void sshd() {
        require(LoopbackSshd.available(), "/usr/sbin/sshd", "apt-get install openssh-server");
        program("ssh-keygen", "openssh-client");
    }

    /** The OpenSSH client, which Ansible, testinfra and the local platform's tests log in with. */
    public static void sshClient() {
        program("ssh", "openssh-client");
        program("ssh-keygen", "openssh-client");
    }

    /** What the local platform runs: QEMU, qemu-img and an ISO writer for the NoCloud seed. */
    public static void qemu() {
        program("qemu-system-x86_64", "qemu-system-x86");
        program("qemu-img", "qemu-utils");
        isoWriter();
    }

    /** One of the ISO writers the local platform's NoCloud seed can use. */
    public static void isoWriter() {
        require(PROCESS.find("genisoimage").or(() -> PROCESS.find("mkisofs")).or(() -> PROCESS.find("xorriso"))
                .isPresent(), "genisoimage (or mkisofs, xorriso)", "apt-get install genisoimage");
    }

    /**
     * Where {@code scripts/make-base-image.sh} puts the base image the VM tests boot: {@code debian-12-base.qcow2}
     * in {@code $AMI_BASE_IMAGE_DIR}, else in {@code ~/.cache/ami-maven-plugin}.
     */
    public static Path baseImagePath() {
        return Path.of(Optional.ofNullable(System.getenv("AMI_BASE_IMAGE_DIR"))
                .orElse(System.getProperty("user.home") + "/.cache/ami-maven-plugin"), "debian-12-base.qcow2");
    }

    /** The base image, made. */
    public static Path baseImage() {
        Path image = baseImagePath();
        require(Files.isRegularFile(image), "the base image " + image,
                "scripts/make-base-image.sh makes it; scripts/test.sh runs it");
        return image;
    }

    /** ansible-playbook, which the ansible provisioner runs. */
    public static void ansible() {
        program("ansible-playbook", "ansible");
    }

    /**
     * The first python that can import testinfra and pytest, as the command prefix {@code python -m pytest}: a
     * pyenv or virtualenv python first on the PATH often lacks the plugin that the system's python has.
     */
    public static List<String> testinfra() {
        List<String> pytest = null;
        for (String python : List.of("python3", "/usr/bin/python3")) {
            if (runs(python, "-c", "import testinfra, pytest")) {
                pytest = List.of(python, "-m", "pytest");
                break;
            }
        }
        require(pytest != null, "pytest with testinfra", "apt-get install python3-testinfra");
        sshClient();
        return pytest;
    }

    /** rspec with serverspec. */
    public static void serverspec() {
        require(runs("rspec", "--version") && runs("ruby", "-e", "require 'serverspec'"), "rspec with serverspec",
                "apt-get install ruby-serverspec");
    }

    /** Debian's Packer at {@code path}. */
    public static void packer(Path path) {
        require(Files.isExecutable(path), path.toString(), "apt-get install packer");
    }

    /** True when the command runs and exits 0 within a minute. */
    public static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
