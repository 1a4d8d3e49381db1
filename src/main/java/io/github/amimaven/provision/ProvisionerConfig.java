package io.github.amimaven.provision;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Elements;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.amimaven.log.Secrets;

/**
 * One element of {@code <provisioners>}, bound to the class {@link #ELEMENTS} registers for its name (the goals'
 * configurator tells Maven), e.g. {@code <shell>} to {@link Shell}.
 */
public abstract class ProvisionerConfig {

    /** The provisioners a POM can name, by element: a new provisioner registers here. */
    public static final Map<String, Class<? extends ProvisionerConfig>> ELEMENTS = Elements.of(
            Map.entry("shell", Shell.class),
            Map.entry("file", File.class),
            Map.entry("ansible", Ansible.class),
            Map.entry("reboot", Reboot.class),
            Map.entry("powershell", Powershell.class));

    /**
     * How long this step may run (e.g. {@code 20m}); default 1h. Past it the step, every process it started on the
     * build machine and its SSH connections are stopped and the build fails naming this setting.
     */
    private String timeout;


    /**
     * The image's provisioners in order, each bounded by its {@code <timeout>}; a provisioner with
     * errors is left out and its errors, named by POM path under {@code at}, are added.
     */
    public static List<Provisioner> provisioners(List<ProvisionerConfig> configs, ProjectFiles files, String at,
            boolean windows, Errors errors) {
        List<Provisioner> provisioners = new ArrayList<>();
        for (int p = 0; p < configs.size(); p++) {
            ProvisionerConfig pc = configs.get(p);
            String pat = at + "/<" + pc.element() + ">[" + (p + 1) + "]";
            Provisioner provisioner = pc.forImage(files, pat, windows, errors);
            if (provisioner != null) {
                provisioners.add(provisioner);
            }
        }
        return provisioners;
    }

    /** This step for a Linux or a Windows image, bounded by its {@code <timeout>}; null when there were errors. */
    Provisioner forImage(ProjectFiles files, String at, boolean windows, Errors errors) {
        Provisioner provisioner = toProvisioner(files, at, errors);
        return provisioner == null ? null : bounded(provisioner, at, errors);
    }

    /** The provisioner with its bound; null when {@code <timeout>} is wrong (an error is added). */
    Provisioner bounded(Provisioner provisioner, String at, Errors errors) {
        Duration t = Durations.parse(timeout, at + "/<timeout>", Duration.ofSeconds(1), Duration.ofHours(24), errors);
        if (timeout != null && t == null) {
            return null;
        }
        return new TimeBoundProvisioner(provisioner,
                t == null ? TimeBoundProvisioner.DEFAULT : t, at + "/<timeout>");
    }

    /** Inline commands beyond this belong in a script file: a POM is read by people. */
    static final int MAX_INLINE_BYTES = 64 * 1024;

    /** The element's name in the POM, for error messages. */
    abstract String element();

    /** Validates, and returns the provisioner or null when there were errors. */
    abstract Provisioner toProvisioner(ProjectFiles files, String at, Errors errors);

    /** Script provisioners take exactly one of {@code <inline>} and {@code <script>}; false (and an error) otherwise. */
    static boolean exactlyOneSource(List<String> inline, String script, String example, String at, Errors errors) {
        boolean hasInline = inline != null && !inline.isEmpty();
        if (hasInline == (script != null)) {
            errors.add(at, hasInline ? "has both <inline> and <script>" : "has neither <inline> nor <script>",
                    "give exactly one: <inline><line>…</line></inline> or <script>" + example + "</script>");
            return false;
        }
        if (hasInline) {
            if (inline.stream().allMatch(line -> line == null || line.isBlank())) {
                errors.add(at + "/<inline>", "has only empty lines", "write the commands to run, one per <line>");
                return false;
            }
            long bytes = inline.stream().mapToLong(line -> line == null ? 1 : line.getBytes(StandardCharsets.UTF_8).length + 1).sum();
            if (bytes > MAX_INLINE_BYTES) {
                errors.add(at + "/<inline>", "is " + bytes / 1024 + " KiB, more than " + MAX_INLINE_BYTES / 1024
                        + " KiB belongs in a POM", "move the commands into a <script> file");
                return false;
            }
        }
        return true;
    }

    /** {@code <env>} with its names checked; null values become empty strings. */
    static Map<String, String> environment(Map<String, String> env, String at, Errors errors) {
        return variables(env, at + "/<env>", errors);
    }

    /**
     * {@code <env>} and {@code <secretEnv>} in one environment. Each secret value is registered with
     * {@link Secrets}, so the build masks it wherever it would show (log, reports, messages, remote output).
     */
    static Map<String, String> environment(Map<String, String> env, Map<String, String> secretEnv, String at,
            Errors errors) {
        Map<String, String> environment = environment(env, at, errors);
        Map<String, String> secrets = variables(secretEnv, at + "/<secretEnv>", errors);
        secrets.forEach((k, v) -> {
            if (environment.containsKey(k)) {
                errors.add(at + "/<secretEnv>/<" + k + ">", "is also in <env>", "keep it in <secretEnv> only");
            }
            registerSecret(v, at + "/<secretEnv>/<" + k + ">", errors);
        });
        environment.putAll(secrets);
        return environment;
    }

    /** Registers a value marked secret; one too short to be masked is refused rather than shown. */
    static void registerSecret(String value, String at, Errors errors) {
        if (!value.isEmpty() && !Secrets.global().add(value)) {
            errors.add(at, "is shorter than " + Secrets.MIN_LENGTH + " characters, too short to be masked in logs",
                    "use a longer secret, or a plain variable if it is not one");
        }
    }

    private static Map<String, String> variables(Map<String, String> vars, String at, Errors errors) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (vars != null) {
            vars.forEach((k, v) -> {
                if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    errors.add(at + "/<" + k + ">", "is not a valid variable name",
                            "use letters, digits and underscores, not starting with a digit");
                }
                variables.put(k, v == null ? "" : v);
            });
        }
        return variables;
    }

    /** {@code <validExitCodes>}, default 0, each within 0 to {@code max} (the platform's range, {@code range} says it). */
    static Set<Integer> exitCodes(List<Integer> validExitCodes, int max, String range, String at, Errors errors) {
        Set<Integer> codes = new LinkedHashSet<>(validExitCodes == null || validExitCodes.isEmpty() ? List.of(0)
                : validExitCodes);
        for (int code : codes) {
            if (code < 0 || code > max) {
                errors.add(at + "/<validExitCodes>", "contains " + code, range);
            }
        }
        return codes;
    }

    /** What a script step runs, and how the log names it. */
    record Script(String label, byte[] content) {
    }

    /**
     * The script of a step with {@code <inline>} lines (made into a script by {@code fromInline}) or a
     * {@code <script>} file; null (and an error) when the file cannot be read.
     */
    static Script script(List<String> inline, String script, Function<List<String>, byte[]> fromInline,
            ProjectFiles files, String at, Errors errors) {
        if (script == null) {
            return new Script(inlineLabel(inline), fromInline.apply(inline));
        }
        byte[] content = readScript(files, script, at, errors);
        return content == null ? null : new Script(script, content);
    }

    /** A script file's bytes, or null (and an error) when it cannot be read. */
    static byte[] readScript(ProjectFiles files, String script, String at, Errors errors) {
        Path file = files.file(script, at + "/<script>", errors);
        if (file == null) {
            return null;
        }
        if (Files.isDirectory(file)) {
            errors.add(at + "/<script>", "'" + script + "' is a directory (" + file + ")",
                    "name the script file itself, e.g. " + script.replaceAll("/+$", "") + "/setup.sh");
            return null;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            errors.add(at + "/<script>", "'" + script + "' cannot be read (" + file + ")",
                    "check the path; it is relative to the project directory " + files.basedir());
            return null;
        }
        String notText = ProjectFiles.notText(content);
        if (notText != null) {
            errors.add(at + "/<script>", "'" + script + "' " + notText, "save the script as UTF-8 text");
            return null;
        }
        return content;
    }

    static String inlineLabel(List<String> inline) {
        return "inline (" + inline.size() + (inline.size() == 1 ? " line)" : " lines)");
    }
}
