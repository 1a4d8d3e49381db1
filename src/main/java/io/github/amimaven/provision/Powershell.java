package io.github.amimaven.provision;

import io.github.amimaven.log.Secret;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import io.github.amimaven.verify.Run;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;


/** {@code <powershell>}: runs inline PowerShell or a script on a Windows machine over OpenSSH. */
public class Powershell extends ProvisionerConfig {

    static final Set<String> POLICIES = Set.of("Bypass", "Unrestricted", "RemoteSigned", "AllSigned", "Restricted",
            "Default", "Undefined");

    /** What Windows allows in a path: no control characters, none of {@code " < > | ? *}. */
    private static final Pattern WINDOWS_PATH = Pattern.compile("[^\\p{Cntrl}\"<>|?*]+");

    /** Commands, one per {@code <line>}; the first error stops them. */
    private List<String> inline;

    /** A {@code .ps1} script, relative to the project directory. */
    private String script;

    /** Environment variables, set by a generated launcher file (never on the command line). */
    private Map<String, String> env;

    /** Environment variables whose values are secret: set like {@code <env>}, and masked wherever the build shows them. */
    @Secret
    private Map<String, String> secretEnv;

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
    public Powershell secretEnv(Map<String, String> v) { secretEnv = v; return this; }
    public Powershell executionPolicy(String v) { executionPolicy = v; return this; }
    public Powershell elevated(Boolean v) { elevated = v; return this; }

    @Override
    String element() {
        return "powershell";
    }

    @Override
    Provisioner toProvisioner(ProjectFiles files, String at, Errors errors) {
        if (!exactlyOneSource(inline, script, "scripts/setup.ps1", at, errors)) {
            return null;
        }
        Map<String, String> environment = environment(env, secretEnv, at, errors);
        String policy = executionPolicy == null ? PowerShellProvisioner.DEFAULT_EXECUTION_POLICY : executionPolicy.trim();
        if (!POLICIES.contains(policy)) {
            errors.add(at + "/<executionPolicy>", "'" + executionPolicy + "' is unknown",
                    "use one of Bypass, Unrestricted, RemoteSigned, AllSigned, Restricted, Default, Undefined");
        }
        Set<Integer> codes = exitCodes(validExitCodes, Integer.MAX_VALUE, "exit codes are not negative", at, errors);
        if (remoteDirectory != null && (remoteDirectory.isBlank() || !WINDOWS_PATH.matcher(remoteDirectory).matches())) {
            errors.add(at + "/<remoteDirectory>", "'" + remoteDirectory + "' is not a Windows directory path",
                    "write a directory such as C:/Windows/Temp, without control characters or \" < > | ? *");
        }
        Script s = script(inline, script, PowerShellProvisioner::inlineScript, files, at, errors);
        if (s == null) {
            return null;
        }
        return new PowerShellProvisioner(s.label(), s.content(), environment, policy, Boolean.TRUE.equals(elevated), codes,
                remoteDirectory == null ? null : remoteDirectory.replace('\\', '/'));
    }
}
