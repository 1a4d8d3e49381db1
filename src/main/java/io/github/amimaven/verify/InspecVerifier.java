package io.github.amimaven.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.github.amimaven.remote.SshTarget;

/**
 * Runs an InSpec profile from the build machine against the test machine:
 * {@code inspec exec <profile> -t ssh://user@host:port -i <key> [--sudo] [--input-file f] [--input-file inputs]
 * [--controls a b…] [--waiver-file f] --reporter cli json:<file> --no-color --chef-license accept-silent}.
 * The {@code <inputs>} go in a 0600 YAML file deleted afterwards, not on the command line, where any process
 * listing would show them.
 * Exit codes 0 (all passed), 100 (some failed) and 101 (some skipped) are results; any other is a
 * {@link VerifyException} naming the code and the last lines of output.
 */
public final class InspecVerifier implements Verifier {

    public static final String DEFAULT_EXECUTABLE = "inspec";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private final List<String> executable;
    private final String profile;
    private final boolean sudo;
    private final Path inputFile;
    private final Map<String, String> inputs;
    private final List<String> controls;
    private final Path waiverFile;

    /**
     * @param executable the command, possibly with leading arguments ({@code bundle exec inspec}, {@code cinc-auditor})
     * @param profile    a profile directory, archive or URL, as InSpec takes it
     */
    public InspecVerifier(List<String> executable, String profile, boolean sudo, Path inputFile,
            Map<String, String> inputs, List<String> controls, Path waiverFile) {
        if (executable == null || executable.isEmpty()) {
            throw new IllegalArgumentException("executable is empty");
        }
        this.executable = List.copyOf(executable);
        this.profile = Objects.requireNonNull(profile, "profile");
        this.sudo = sudo;
        this.inputFile = inputFile;
        this.inputs = inputs == null ? Map.of() : new LinkedHashMap<>(inputs);
        this.controls = controls == null ? List.of() : List.copyOf(controls);
        this.waiverFile = waiverFile;
    }

    /** InSpec's SSH transport (train) sets its own known_hosts to /dev/null and takes none from the command line. */
    @Override
    public boolean checksHostKey() {
        return false;
    }

    @Override
    public String describe() {
        return "inspec " + profile + (sudo ? " (sudo)" : "");
    }

    @Override
    public VerifierReport verify(VerifyContext ctx) throws VerifyException, InterruptedException {
        SshTarget target = ctx.target();
        Path report = ctx.workDir().resolve("inspec-" + slug(profile) + ".json");
        try (SshClientFiles files = SshClientFiles.write(target, ctx.hostKeys(), ctx.workDir(), "inspec")) {
            Files.deleteIfExists(report);
            Path inputsFile = inputs.isEmpty() ? null
                    : files.writeSecretFile("inspec-inputs.yml", YAML.writeValueAsBytes(inputs));
            List<String> command = command(target, files.key(), inputsFile, report);
            LocalTool.Result result = LocalTool.run("inspec", command, ctx.workDir(), Map.of(), ctx.log());
            int exit = result.exitCode();
            if (exit != 0 && exit != 100 && exit != 101) {
                throw new VerifyException(describe() + " exited with " + exit + " (" + meaning(exit)
                        + "; 0, 100 and 101 are results). Last output:\n" + result.tailText());
            }
            if (!Files.isRegularFile(report)) {
                throw new VerifyException(describe() + " exited with " + exit + " but wrote no JSON report to "
                        + report + ". Last output:\n" + result.tailText());
            }
            return new VerifierReport(describe(), InspecReportParser.parse(report), report);
        } catch (java.io.IOException e) {
            throw new VerifyException("cannot prepare " + report + ": " + e.getMessage(), e);
        }
    }

    /** The command line; holds the key file's and inputs file's paths, never the key or an input. */
    List<String> command(SshTarget target, Path keyFile, Path inputsFile, Path jsonReport) throws VerifyException {
        List<String> c = new ArrayList<>(executable);
        c.addAll(List.of("exec", profile, "-t", "ssh://" + target.user() + "@" + urlHost(target.host()) + ":" + target.port(),
                "-i", keyFile.toString()));
        if (target.bastion() != null) {
            SshTarget b = target.bastion();
            if (!java.util.Arrays.equals(b.privateKey(), target.privateKey())) {
                throw new VerifyException("inspec cannot use a bastion with its own key: it logs in to the bastion with"
                        + " the machine's key. Use the same key for both, or a serverspec or testinfra verifier");
            }
            c.addAll(List.of("--bastion-host", b.host(), "--bastion-port", String.valueOf(b.port()),
                    "--bastion-user", b.user()));
        }
        if (sudo) {
            c.add("--sudo");
        }
        if (inputFile != null) {
            c.addAll(List.of("--input-file", inputFile.toString()));
        }
        if (inputsFile != null) {
            c.addAll(List.of("--input-file", inputsFile.toString()));
        }
        if (!controls.isEmpty()) {
            c.add("--controls");
            c.addAll(controls);
        }
        if (waiverFile != null) {
            c.addAll(List.of("--waiver-file", waiverFile.toString()));
        }
        c.addAll(List.of("--reporter", "cli", "json:" + jsonReport, "--no-color", "--chef-license", "accept-silent"));
        return c;
    }

    private static String meaning(int exit) {
        return switch (exit) {
            case 1 -> "usage or general error";
            case 2 -> "error in the profile or its platform support";
            case 3 -> "fatal deprecation";
            case 172 -> "Chef license not accepted";
            default -> "an error";
        };
    }

    /** IPv6 literals go in brackets in an ssh:// URL. */
    static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    static String slug(String s) {
        String slug = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "");
        return slug.isEmpty() ? "profile" : slug.length() > 60 ? slug.substring(slug.length() - 60) : slug;
    }
}
