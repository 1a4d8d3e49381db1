package io.github.amimaven.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.amimaven.provision.PowerShellProvisioner;
import io.github.amimaven.provision.Provisioner;

/** {@code <powershell>}: runs inline PowerShell or a script on a Windows machine over OpenSSH. */
public class Powershell extends ProvisionerConfig {

    static final Set<String> POLICIES = Set.of("Bypass", "Unrestricted", "RemoteSigned", "AllSigned", "Restricted",
            "Default", "Undefined");

    /** Commands, one per {@code <line>}; the first error stops them. */
    private List<String> inline;

    /** A {@code .ps1} script, relative to the project directory. */
    private String script;

    /** Environment variables, set by a generated launcher file (never on the command line). */
    private Map<String, String> env;

    /** {@code -ExecutionPolicy}. Default Bypass. */
    private String executionPolicy;

    /** Run with the highest privileges of the login user, as a scheduled task. Default false. */
    private Boolean elevated;

    /** Exit codes that count as success. Default 0. */
    private List<Integer> validExitCodes;

    /** Directory on the machine for the uploaded files. Default {@code C:/Windows/Temp}. */
    private String remoteDirectory;

    public Powershell inline(List<String> v) { inline = v; return this; }
    public Powershell script(String v) { script = v; return this; }
    public Powershell env(Map<String, String> v) { env = v; return this; }
    public Powershell executionPolicy(String v) { executionPolicy = v; return this; }
    public Powershell elevated(Boolean v) { elevated = v; return this; }

    @Override
    String element() {
        return "powershell";
    }

    @Override
    Provisioner toProvisioner(Path basedir, String at, Errors errors) {
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasInline == (script != null)) {
            errors.add(at, hasInline ? "has both <inline> and <script>" : "has neither <inline> nor <script>",
                    "give exactly one: <inline><line>…</line></inline> or <script>scripts/setup.ps1</script>");
            return null;
        }
        Map<String, String> environment = new LinkedHashMap<>();
        if (env != null) {
            env.forEach((k, v) -> {
                if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    errors.add(at + "/<env>/<" + k + ">", "is not a valid variable name",
                            "use letters, digits and underscores, not starting with a digit");
                }
                environment.put(k, v == null ? "" : v);
            });
        }
        String policy = executionPolicy == null ? PowerShellProvisioner.DEFAULT_EXECUTION_POLICY : executionPolicy.trim();
        if (!POLICIES.contains(policy)) {
            errors.add(at + "/<executionPolicy>", "'" + executionPolicy + "' is unknown",
                    "use one of Bypass, Unrestricted, RemoteSigned, AllSigned, Restricted, Default, Undefined");
        }
        Set<Integer> codes = new LinkedHashSet<>(validExitCodes == null || validExitCodes.isEmpty()
                ? List.of(0) : validExitCodes);
        for (int code : codes) {
            if (code < 0) {
                errors.add(at + "/<validExitCodes>", "contains " + code, "exit codes are not negative");
            }
        }
        if (remoteDirectory != null && (remoteDirectory.isBlank() || remoteDirectory.contains("'"))) {
            errors.add(at + "/<remoteDirectory>", "'" + remoteDirectory + "' is not usable",
                    "write a directory such as C:/Windows/Temp");
        }
        byte[] content;
        String label;
        if (hasInline) {
            content = PowerShellProvisioner.inlineScript(inline);
            label = "inline (" + inline.size() + (inline.size() == 1 ? " line)" : " lines)");
        } else {
            Path file = basedir.resolve(script).normalize();
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                errors.add(at + "/<script>", "'" + script + "' cannot be read (" + file + ")",
                        "check the path; it is relative to the project directory " + basedir);
                return null;
            }
            label = script;
        }
        return new PowerShellProvisioner(label, content, environment, policy, Boolean.TRUE.equals(elevated), codes,
                remoteDirectory == null ? null : remoteDirectory.replace('\\', '/'));
    }
}
