package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.nio.file.Path;


/** {@code <pester>}: uploads Pester 5 tests to a Windows machine and runs them there over SSH. */
public class Pester extends VerifierConfig {

    /** A {@code *.Tests.ps1} file or a directory of them, relative to the project directory. */
    private String path;

    /** {@code powershell} (default, Windows PowerShell 5.1) or {@code pwsh}. */
    private String executable;

    /** The result file's format: {@code NUnitXml} (default) or {@code JUnitXml}. */
    private String format;

    public Pester path(String v) { path = v; return this; }

    @Override
    String element() {
        return "pester";
    }

    @Override
    Verifier toVerifier(ProjectFiles files, String at, Errors errors) {
        int before = errors.messages().size();
        Path tests = existing(files, path, at, "path", true, "src/test/pester", errors);
        if (executable != null && (executable.isBlank() || !executable.matches("[A-Za-z0-9_.:\\\\/ -]+"))) {
            errors.add(at + "/<executable>", "'" + executable + "' is not a plain command",
                    "use powershell, pwsh or a path to one of them");
        }
        PesterVerifier.Format f = PesterVerifier.Format.NUNIT_XML;
        if (format != null) {
            switch (format.trim()) {
                case "NUnitXml" -> f = PesterVerifier.Format.NUNIT_XML;
                case "JUnitXml" -> f = PesterVerifier.Format.JUNIT_XML;
                default -> errors.add(at + "/<format>", "'" + format + "' is unknown", "use NUnitXml or JUnitXml");
            }
        }
        if (errors.messages().size() > before) {
            return null;
        }
        return new PesterVerifier(executable == null ? null : executable.trim(), path, tests, f);
    }
}
