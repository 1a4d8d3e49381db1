package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;


/** {@code <serverspec>}: runs serverspec specs with rspec from the build machine over SSH. */
public class Serverspec extends VerifierConfig {

    /** The directory of {@code *_spec.rb} files, relative to the project directory. Default {@code src/test/serverspec}. */
    private String specDir;

    /** Which files under {@code specDir} to run. Default {@code **}{@code /*_spec.rb}. */
    private String pattern;

    /** Run the resources' commands through sudo on the machine. Default false. */
    private Boolean sudo;

    /** The rspec command. Default {@code rspec}; e.g. {@code bundle exec rspec}. */
    private String executable;

    public Serverspec specDir(String v) { specDir = v; return this; }

    @Override
    String element() {
        return "serverspec";
    }

    @Override
    Verifier toVerifier(ProjectFiles files, String at, Errors errors) {
        int before = errors.messages().size();
        String dir = specDir == null ? "src/test/serverspec" : specDir;
        Path p = existing(files, dir, at, "specDir", true, "src/test/serverspec", errors);
        if (p != null && !Files.isDirectory(p)) {
            errors.add(at + "/<specDir>", "'" + dir + "' is not a directory", "name the directory holding the *_spec.rb files");
        }
        if (pattern != null && pattern.isBlank()) {
            errors.add(at + "/<pattern>", "is empty", "write a glob such as **/*_spec.rb, or leave it out");
        }
        List<String> command = executable == null ? null : words(executable, at, errors);
        if (errors.messages().size() > before) {
            return null;
        }
        return new ServerspecVerifier(command, dir, p, pattern, Boolean.TRUE.equals(sudo));
    }
}
