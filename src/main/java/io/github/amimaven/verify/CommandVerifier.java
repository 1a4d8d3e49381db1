package io.github.amimaven.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.remote.SshException;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.verify.CheckResult.Status;

/**
 * Built-in assertions that need no tool on the machine, each run over the SSH session: a command's exit code
 * and output, a file's existence, mode, owner and content, an installed package, a service's enabled and active
 * state, a listening TCP port. One {@link CheckResult} per assertion, whose message says what was expected and
 * what was found.
 */
public final class CommandVerifier implements Verifier {

    static final String SUITE = "command";

    /** One assertion. */
    public sealed interface Check permits Run, FileCheck, PackageInstalled, Service, Port {

        /** The id in reports, e.g. {@code file /etc/motd}. */
        String describe();
    }

    /**
     * Runs a command through the login shell.
     *
     * @param stdout a regex that must be found in stdout (null: not checked)
     * @param stderr a regex that must be found in stderr (null: not checked)
     */
    public record Run(String command, int exitCode, Pattern stdout, Pattern stderr, boolean sudo) implements Check {

        public Run {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public String describe() {
            return "run " + abbreviate(command);
        }
    }

    /**
     * @param exists  whether the path must exist (true) or must not (false)
     * @param mode    octal permission bits such as 0644 (null: not checked)
     * @param owner   user name or numeric uid (null: not checked)
     * @param content a regex that must be found in the file (null: not checked)
     */
    public record FileCheck(String path, boolean exists, Integer mode, String owner, Pattern content) implements Check {

        public FileCheck {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return "file " + path;
        }
    }

    /** Installed according to dpkg, or else rpm. */
    public record PackageInstalled(String name) implements Check {

        public PackageInstalled {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String describe() {
            return "package " + name;
        }
    }

    /** @param enabled, active null: not checked */
    public record Service(String name, Boolean enabled, Boolean active) implements Check {

        public Service {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String describe() {
            return "service " + name;
        }
    }

    /** A TCP port something listens on, on any address. */
    public record Port(int port) implements Check {

        @Override
        public String describe() {
            return "port " + port;
        }
    }

    private final List<Check> checks;

    public CommandVerifier(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public List<Check> checks() {
        return checks;
    }

    @Override
    public String describe() {
        return "command (" + checks.size() + (checks.size() == 1 ? " check)" : " checks)");
    }

    @Override
    public VerifierReport verify(VerifyContext ctx) throws VerifyException, InterruptedException {
        if (ctx.session() == null) {
            throw new VerifyException(describe() + " needs an SSH session to the machine");
        }
        List<CheckResult> results = new ArrayList<>();
        for (Check check : checks) {
            long start = System.nanoTime();
            CheckResult r;
            try {
                List<String> problems = run(check, ctx);
                double seconds = (System.nanoTime() - start) / 1e9;
                r = problems.isEmpty() ? CheckResult.passed(SUITE, check.describe(), check.describe(), seconds)
                        : CheckResult.failed(SUITE, check.describe(), check.describe(), String.join("; ", problems), seconds);
            } catch (CheckError e) {
                r = new CheckResult(SUITE, check.describe(), check.describe(), Status.ERROR, e.getMessage(),
                        (System.nanoTime() - start) / 1e9);
            } catch (SshException e) {
                throw new VerifyException(describe() + ": " + check.describe() + " could not run: " + e.getMessage(), e);
            }
            ctx.log().info(r.summary());
            results.add(r);
        }
        return new VerifierReport(describe(), results, null);
    }

    /** The assertion could not be evaluated (no dpkg nor rpm, no ss): an ERROR result, not a failure. */
    private static final class CheckError extends Exception {
        CheckError(String message) {
            super(message);
        }
    }

    private record Output(int exit, String stdout, String stderr) {
    }

    private static Output exec(SshSession session, String command, VerifyContext ctx, boolean echo)
            throws SshException, InterruptedException {
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        int exit = session.exec(command, null, line -> {
            out.append(line).append('\n');
            if (echo) {
                ctx.log().info(line);
            }
        }, line -> {
            err.append(line).append('\n');
            if (echo) {
                ctx.log().info(line);
            }
        });
        return new Output(exit, out.toString(), err.toString());
    }

    private List<String> run(Check check, VerifyContext ctx) throws SshException, InterruptedException, CheckError {
        SshSession s = ctx.session();
        List<String> problems = new ArrayList<>();
        if (check instanceof Run r) {
            String command = r.sudo() ? "sudo -n sh -c " + quote(r.command()) : r.command();
            Output o = exec(s, command, ctx, true);
            if (o.exit() != r.exitCode()) {
                problems.add("exit code: expected " + r.exitCode() + ", was " + o.exit());
            }
            if (r.stdout() != null && !r.stdout().matcher(o.stdout()).find()) {
                problems.add("stdout: expected to match /" + r.stdout() + "/, was " + excerpt(o.stdout()));
            }
            if (r.stderr() != null && !r.stderr().matcher(o.stderr()).find()) {
                problems.add("stderr: expected to match /" + r.stderr() + "/, was " + excerpt(o.stderr()));
            }
        } else if (check instanceof FileCheck f) {
            file(f, ctx, problems);
        } else if (check instanceof PackageInstalled p) {
            String q = quote(p.name());
            Output o = exec(s, "if command -v dpkg-query >/dev/null 2>&1; then dpkg-query -W -f='${Status} ${Version}\\n' -- "
                    + q + "; elif command -v rpm >/dev/null 2>&1; then rpm -q -- " + q
                    + "; else echo 'neither dpkg-query nor rpm is installed' >&2; exit 127; fi", ctx, false);
            if (o.exit() == 127) {
                throw new CheckError("cannot check packages: " + firstLine(o.stderr(), "no package manager"));
            }
            String line = firstLine(o.stdout(), "");
            boolean dpkg = line.contains(" ok ");
            boolean installed = dpkg ? line.contains(" ok installed") : o.exit() == 0 && !line.isEmpty();
            if (!installed) {
                String was = !line.isEmpty() ? line : firstLine(o.stderr(), "not installed");
                problems.add("expected installed, was: " + was);
            }
        } else if (check instanceof Service v) {
            if (v.enabled() != null) {
                Output o = exec(s, "systemctl is-enabled -- " + quote(v.name()), ctx, false);
                if (o.exit() == 127) {
                    throw new CheckError("cannot check services: systemctl is not installed");
                }
                String state = firstLine(o.stdout(), firstLine(o.stderr(), "unknown"));
                boolean enabled = o.exit() == 0 && (state.equals("enabled") || state.equals("enabled-runtime")
                        || state.equals("alias") || state.equals("static") || state.equals("indirect")
                        || state.equals("generated"));
                if (enabled != v.enabled()) {
                    problems.add("expected " + (v.enabled() ? "enabled" : "not enabled") + ", was: " + state);
                }
            }
            if (v.active() != null) {
                Output o = exec(s, "systemctl is-active -- " + quote(v.name()), ctx, false);
                if (o.exit() == 127) {
                    throw new CheckError("cannot check services: systemctl is not installed");
                }
                String state = firstLine(o.stdout(), firstLine(o.stderr(), "unknown"));
                boolean active = o.exit() == 0 && state.equals("active");
                if (active != v.active()) {
                    problems.add("expected " + (v.active() ? "active" : "not active") + ", was: " + state);
                }
            }
        } else if (check instanceof Port p) {
            Output o = exec(s, "ss -Hltn", ctx, false);
            if (o.exit() != 0) {
                throw new CheckError("cannot list listening ports: ss exited with " + o.exit() + ": "
                        + firstLine(o.stderr(), "(no output)"));
            }
            List<String> listening = listeningPorts(o.stdout(), p.port());
            if (listening.isEmpty()) {
                problems.add("expected a TCP listener on port " + p.port() + ", found none");
            }
        }
        return problems;
    }

    private static void file(FileCheck f, VerifyContext ctx, List<String> problems)
            throws SshException, InterruptedException {
        Output o = exec(ctx.session(), "stat -c '%F|%a|%U|%u' -- " + quote(f.path()), ctx, false);
        boolean exists = o.exit() == 0;
        if (!exists) {
            if (f.exists()) {
                problems.add("expected to exist, does not (" + firstLine(o.stderr(), "stat failed") + ")");
            }
            return;
        }
        if (!f.exists()) {
            problems.add("expected not to exist, but it does");
            return;
        }
        String[] parts = firstLine(o.stdout(), "").split("\\|");
        if (parts.length < 4) {
            problems.add("cannot read its attributes: " + o.stdout().strip());
            return;
        }
        if (f.mode() != null) {
            int actual = Integer.parseInt(parts[1], 8);
            if (actual != f.mode()) {
                problems.add("mode: expected " + octal(f.mode()) + ", was " + octal(actual));
            }
        }
        if (f.owner() != null && !f.owner().equals(parts[2]) && !f.owner().equals(parts[3])) {
            problems.add("owner: expected " + f.owner() + ", was " + parts[2] + " (uid " + parts[3] + ")");
        }
        if (f.content() != null) {
            if (!parts[0].contains("regular")) {
                problems.add("content: expected a regular file, was a " + parts[0]);
                return;
            }
            try {
                String content = new String(ctx.session().read(f.path()), StandardCharsets.UTF_8);
                if (!f.content().matcher(content).find()) {
                    // masked before the excerpt can cut a secret in two
                    problems.add("content: expected to match /" + f.content() + "/, was "
                            + excerpt(Secrets.global().redact(content)));
                }
            } catch (SshException e) {
                problems.add("content: cannot be read (" + e.getMessage() + ")");
            }
        }
    }

    /** The lines of {@code ss -Hltn} whose local address ends in {@code :port}. */
    static List<String> listeningPorts(String ssOutput, int port) {
        List<String> matches = new ArrayList<>();
        for (String line : ssOutput.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length >= 4 && cols[3].endsWith(":" + port)) {
                matches.add(line.trim());
            }
        }
        return matches;
    }

    static String octal(int mode) {
        return String.format("%04o", mode);
    }

    static String excerpt(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "empty";
        }
        String oneLine = t.replace("\n", "\\n");
        return "'" + (oneLine.length() > 200 ? oneLine.substring(0, 197) + "..." : oneLine) + "'";
    }

    private static String firstLine(String text, String fallback) {
        return text.strip().lines().findFirst().orElse(fallback);
    }

    static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    private static String abbreviate(String command) {
        String oneLine = command.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
