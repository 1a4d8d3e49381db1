package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/** {@code <inspec>}: runs an InSpec profile from the build machine against the test machine over SSH. */
public class Inspec extends VerifierConfig {

    /** A profile directory or archive (relative to the project directory), or a URL / {@code supermarket://} name. */
    private String profile;

    /** Run the profile's commands through sudo on the machine ({@code --sudo}). Default false. */
    private Boolean sudo;

    /** Inputs, passed in a 0600 YAML file ({@code --input-file}) that is deleted afterwards. */
    private Map<String, String> inputs;

    /** A YAML file of inputs ({@code --input-file}), relative to the project directory. */
    private String inputFile;

    /** Only run these controls ({@code --controls}). Default: all. */
    private List<String> controls;

    /** A waiver file ({@code --waiver-file}), relative to the project directory. */
    private String waiverFile;

    /** The InSpec command. Default {@code inspec}; e.g. {@code cinc-auditor} or {@code bundle exec inspec}. */
    private String executable;

    public Inspec profile(String v) { profile = v; return this; }
    public Inspec sudo(Boolean v) { sudo = v; return this; }
    public Inspec inputs(Map<String, String> v) { inputs = v; return this; }
    public Inspec controls(List<String> v) { controls = v; return this; }
    public Inspec executable(String v) { executable = v; return this; }

    @Override
    String element() {
        return "inspec";
    }

    @Override
    Verifier toVerifier(ProjectFiles files, String at, Errors errors) {
        int before = errors.messages().size();
        String resolvedProfile = null;
        if (profile == null || profile.isBlank()) {
            errors.add(at + "/<profile>", "is missing",
                    "give a profile directory or archive relative to the project directory, or a URL");
        } else if (profile.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            resolvedProfile = profile;
        } else {
            Path p = files.file(profile, at + "/<profile>", errors);
            if (p != null && !Files.exists(p)) {
                errors.add(at + "/<profile>", "'" + profile + "' does not exist (" + p + ")",
                        "give a profile directory (with inspec.yml), an archive, or a URL");
            } else if (p != null && Files.isDirectory(p) && !Files.exists(p.resolve("inspec.yml"))) {
                errors.add(at + "/<profile>", "'" + profile + "' has no inspec.yml", "point at the profile's root directory");
            }
            resolvedProfile = p == null ? null : p.toString();
        }
        Path input = existing(files, inputFile, at, "inputFile", false, "", errors);
        Path waiver = existing(files, waiverFile, at, "waiverFile", false, "", errors);
        Map<String, String> in = new LinkedHashMap<>();
        if (inputs != null) {
            inputs.forEach((k, v) -> {
                if (!k.matches("[A-Za-z0-9_.-]+")) {
                    errors.add(at + "/<inputs>/<" + k + ">", "is not a valid input name", "use letters, digits, '_', '.' and '-'");
                }
                in.put(k, v == null ? "" : v);
            });
        }
        if (controls != null) {
            for (String c : controls) {
                if (c == null || c.isBlank()) {
                    errors.add(at + "/<controls>", "contains an empty control id", "remove it");
                }
            }
        }
        List<String> command = executable == null ? List.of(InspecVerifier.DEFAULT_EXECUTABLE)
                : words(executable, at, errors);
        if (errors.messages().size() > before) {
            return null;
        }
        return new InspecVerifier(command, resolvedProfile, Boolean.TRUE.equals(sudo), input, in,
                controls == null ? List.of() : controls, waiver);
    }
}
