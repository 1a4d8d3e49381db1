package io.github.amimaven.verify;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Elements;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;


/**
 * One element of {@code <verifiers>}, bound to the class {@link #ELEMENTS} registers for its name (the goals'
 * configurator tells Maven), e.g. {@code <inspec>} to {@link Inspec}. The checks of {@code <command>} are found by
 * Maven itself: classes of this package named after their elements.
 */
public abstract class VerifierConfig {

    /** The verifiers a POM can name, by element, in the order the documentation lists them: a new one registers here. */
    public static final Map<String, Class<? extends VerifierConfig>> ELEMENTS = Elements.of(
            Map.entry("inspec", Inspec.class),
            Map.entry("pester", Pester.class),
            Map.entry("serverspec", Serverspec.class),
            Map.entry("testinfra", Testinfra.class),
            Map.entry("command", Command.class));

    /** The element's name in the POM, for error messages. */
    abstract String element();

    /** Validates, and returns the verifier or null when there were errors. */
    abstract Verifier toVerifier(ProjectFiles files, String at, Errors errors);

    /**
     * How long this verifier may run (e.g. {@code 10m}); default 30m. Past it its tool and remote commands are
     * stopped and it is reported as not finished, naming this setting. {@code <timeouts><test>} bounds them all.
     */
    private String timeout;


    /** Public entry point for the pipeline: validates every field, adding problems to {@code errors}. */
    public final Verifier resolve(ProjectFiles files, String at, Errors errors) {
        Duration t = Durations.parse(timeout, at + "/<timeout>", Duration.ofSeconds(1), Duration.ofHours(24), errors);
        Verifier v = toVerifier(files, at, errors);
        if (v == null || (timeout != null && t == null)) {
            return null;
        }
        return new TimeBoundVerifier(v,
                t == null ? TimeBoundVerifier.DEFAULT : t, at + "/<timeout>");
    }

    /** An executable setting split into words: {@code bundle exec inspec}, {@code python3 -m pytest}. */
    static List<String> words(String executable, String at, Errors errors) {
        if (executable == null) {
            return null;
        }
        List<String> words = Arrays.stream(executable.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
            errors.add(at + "/<executable>", "is empty", "name the command, or leave the element out for the default");
            return null;
        }
        return words;
    }

    /** A file or directory relative to the project directory that must exist; null (with an error) otherwise. */
    static Path existing(ProjectFiles files, String value, String at, String element, boolean required, String example,
            Errors errors) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(at + "/<" + element + ">", "is missing", "give a path relative to the project directory, e.g. "
                        + example);
            }
            return null;
        }
        Path p = files.file(value, at + "/<" + element + ">", errors);
        if (p == null) {
            return null;
        }
        if (!java.nio.file.Files.exists(p)) {
            errors.add(at + "/<" + element + ">", "'" + value + "' does not exist (" + p + ")",
                    "check the path; it is relative to the project directory " + files.basedir());
            return null;
        }
        return p;
    }

    /** The image's verifiers in order; one with errors is left out and its errors, named by POM path under {@code at}, are added. */
    public static List<Verifier> verifiers(List<VerifierConfig> configs, ProjectFiles files, String at, Errors errors) {
        List<Verifier> verifiers = new ArrayList<>();
        for (int v = 0; v < configs.size(); v++) {
            VerifierConfig vc = configs.get(v);
            Verifier verifier = vc.resolve(files,
                    at + "/<" + vc.element() + ">[" + (v + 1) + "]", errors);
            if (verifier != null) {
                verifiers.add(verifier);
            }
        }
        return verifiers;
    }
}
