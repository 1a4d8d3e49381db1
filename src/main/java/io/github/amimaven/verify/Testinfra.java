package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.nio.file.Path;
import java.util.List;


/** {@code <testinfra>}: runs testinfra tests with pytest from the build machine over SSH. */
public class Testinfra extends VerifierConfig {

    /** A test file or a directory of {@code test_*.py} files, relative to the project directory. */
    private String tests;

    /** Run the tests' commands through sudo on the machine ({@code --sudo}). Default false. */
    private Boolean sudo;

    /** The pytest command. Default {@code python3 -m pytest}; e.g. {@code py.test} or a virtualenv's pytest. */
    private String executable;

    public Testinfra tests(String v) { tests = v; return this; }

    @Override
    String element() {
        return "testinfra";
    }

    @Override
    Verifier toVerifier(ProjectFiles files, String at, Errors errors) {
        int before = errors.messages().size();
        Path p = existing(files, tests, at, "tests", true, "src/test/testinfra", errors);
        List<String> command = executable == null ? null : words(executable, at, errors);
        if (errors.messages().size() > before) {
            return null;
        }
        return new TestinfraVerifier(command, tests, p, Boolean.TRUE.equals(sudo));
    }
}
