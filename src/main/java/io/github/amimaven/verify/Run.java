package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;

/** {@code <run>}: a command whose exit code and output are checked. */
public class Run extends CheckConfig {

    /** The command, run by the login shell on the machine. */
    private String command;

    /** The exit code it must return. Default 0. */
    private Integer exitCode;

    /** A regex that must be found in its stdout. */
    private String stdout;

    /** A regex that must be found in its stderr. */
    private String stderr;

    /** Run it through {@code sudo -n}. Default false. */
    private Boolean sudo;

    @Override
    String element() {
        return "run";
    }

    @Override
    CommandVerifier.Check toCheck(String at, Errors errors) {
        int before = errors.messages().size();
        if (blank(command)) {
            errors.add(at + "/<command>", "is missing", "give the command to run, e.g. <command>sshd -t</command>");
        }
        int code = exitCode == null ? 0 : exitCode;
        if (code < 0 || code > 255) {
            errors.add(at + "/<exitCode>", "is " + code, "exit codes are 0 to 255");
        }
        var out = regex(stdout, at + "/<stdout>", errors);
        var err = regex(stderr, at + "/<stderr>", errors);
        if (errors.messages().size() > before) {
            return null;
        }
        return new CommandVerifier.Run(command.strip(), code, out, err, Boolean.TRUE.equals(sudo));
    }
}
