package io.github.amimaven.provision;

import io.github.amimaven.log.Secret;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import io.github.amimaven.verify.Run;
import java.util.List;
import java.util.Map;
import java.util.Set;


/** {@code <shell>}: runs inline commands or a script on the machine. */
public class Shell extends ProvisionerConfig {

    /** Commands, one per {@code <line>}, run by {@code /bin/sh -e} (stops at the first failing command). */
    private List<String> inline;

    /** A script file, relative to the project directory; its own shebang line decides the interpreter. */
    private String script;

    /** Environment variables for the commands. */
    private Map<String, String> env;

    /**
     * Environment variables whose values are secret (passwords, tokens): passed like {@code <env>}, and masked as
     * {@code ****} wherever the build would show them.
     */
    @Secret
    private Map<String, String> secretEnv;

    /** Run as root through {@code sudo -n}. Default false. */
    private Boolean sudo;

    /** Exit codes that count as success. Default 0. */
    private List<Integer> validExitCodes;

    /**
     * The script may drop the connection, e.g. because it reboots the machine: a drop counts as success and the
     * next provisioner gets a fresh session. Default false.
     */
    private Boolean expectDisconnect;

    /** Interpreter line for inline commands. Default {@code #!/bin/sh -e}. */
    private String shebang;

    public Shell inline(List<String> v) { inline = v; return this; }
    public Shell script(String v) { script = v; return this; }
    public Shell env(Map<String, String> v) { env = v; return this; }
    public Shell secretEnv(Map<String, String> v) { secretEnv = v; return this; }
    public Shell sudo(Boolean v) { sudo = v; return this; }
    public Shell expectDisconnect(Boolean v) { expectDisconnect = v; return this; }

    @Override
    String element() {
        return "shell";
    }

    @Override
    Provisioner forImage(ProjectFiles files, String at, boolean windows, Errors errors) {
        if (windows) {
            errors.add(at, "runs sh scripts, which a Windows image cannot run",
                    "use <powershell> with <inline> lines or a .ps1 <script>");
            return null;
        }
        return super.forImage(files, at, false, errors);
    }

    @Override
    Provisioner toProvisioner(ProjectFiles files, String at, Errors errors) {
        if (!exactlyOneSource(inline, script, "scripts/setup.sh", at, errors)) {
            return null;
        }
        Map<String, String> environment = environment(env, secretEnv, at, errors);
        Set<Integer> codes = exitCodes(validExitCodes, 255, "exit codes are 0 to 255", at, errors);
        String interpreter = shebang == null ? "#!/bin/sh -e" : shebang;
        if (script == null && !interpreter.startsWith("#!")) {
            errors.add(at + "/<shebang>", "'" + interpreter + "' does not start with #!", "write e.g. #!/bin/bash -e");
        }
        Script s = script(inline, script, lines -> ShellProvisioner.inlineScript(interpreter, lines), files, at, errors);
        if (s == null) {
            return null;
        }
        return new ShellProvisioner(s.label(), s.content(), environment, Boolean.TRUE.equals(sudo), codes,
                Boolean.TRUE.equals(expectDisconnect));
    }
}
