package io.github.amimaven.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.amimaven.provision.Provisioner;
import io.github.amimaven.provision.ShellProvisioner;

/** {@code <shell>}: runs inline commands or a script on the machine. */
public class Shell extends ProvisionerConfig {

    /** Commands, one per {@code <line>}, run by {@code /bin/sh -e} (stops at the first failing command). */
    private List<String> inline;

    /** A script file, relative to the project directory; its own shebang line decides the interpreter. */
    private String script;

    /** Environment variables for the commands. */
    private Map<String, String> env;

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
    public Shell sudo(Boolean v) { sudo = v; return this; }
    public Shell expectDisconnect(Boolean v) { expectDisconnect = v; return this; }

    @Override
    String element() {
        return "shell";
    }

    @Override
    Provisioner toProvisioner(Path basedir, String at, Errors errors) {
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasInline == (script != null)) {
            errors.add(at, hasInline ? "has both <inline> and <script>" : "has neither <inline> nor <script>",
                    "give exactly one: <inline><line>…</line></inline> or <script>scripts/setup.sh</script>");
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
        Set<Integer> codes = new LinkedHashSet<>(validExitCodes == null || validExitCodes.isEmpty()
                ? List.of(0) : validExitCodes);
        for (int code : codes) {
            if (code < 0 || code > 255) {
                errors.add(at + "/<validExitCodes>", "contains " + code, "exit codes are 0 to 255");
            }
        }
        byte[] content;
        String label;
        if (hasInline) {
            String interpreter = shebang == null ? "#!/bin/sh -e" : shebang;
            if (!interpreter.startsWith("#!")) {
                errors.add(at + "/<shebang>", "'" + interpreter + "' does not start with #!", "write e.g. #!/bin/bash -e");
            }
            content = ShellProvisioner.inlineScript(interpreter, inline);
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
        return new ShellProvisioner(label, content, environment, Boolean.TRUE.equals(sudo), codes,
                Boolean.TRUE.equals(expectDisconnect));
    }
}
