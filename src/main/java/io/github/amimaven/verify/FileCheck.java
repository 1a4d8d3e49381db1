package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;

/**
 * {@code <fileCheck>}: a file or directory on the machine. (Not {@code <file>}: Maven binds elements to classes
 * by name, and {@code <file>} is the provisioner that uploads files.)
 */
public class FileCheck extends CheckConfig {

    /** Absolute path on the machine. */
    private String path;

    /** Must it exist? Default true; false asserts it is absent. */
    private Boolean exists;

    /** Octal permission bits, e.g. {@code 0644}. */
    private String mode;

    /** Owner's user name or numeric uid. */
    private String owner;

    /** A regex that must be found in its content. */
    private String contains;

    @Override
    String element() {
        return "fileCheck";
    }

    @Override
    CommandVerifier.Check toCheck(String at, Errors errors) {
        int before = errors.messages().size();
        if (blank(path)) {
            errors.add(at + "/<path>", "is missing", "give an absolute path on the machine, e.g. /etc/motd");
        } else if (!path.startsWith("/")) {
            errors.add(at + "/<path>", "'" + path + "' is not absolute", "write an absolute path such as /etc/motd");
        }
        Integer bits = null;
        if (mode != null) {
            if (mode.strip().matches("0?[0-7]{3,4}")) {
                bits = Integer.parseInt(mode.strip(), 8);
            } else {
                errors.add(at + "/<mode>", "'" + mode + "' is not an octal mode", "write it like 0644 or 4755");
            }
        }
        boolean mustExist = exists == null || exists;
        if (!mustExist && (mode != null || owner != null || contains != null)) {
            errors.add(at, "has <exists>false</exists> with <mode>, <owner> or <contains>",
                    "an absent file has none of these: remove them or the <exists>");
        }
        var content = regex(contains, at + "/<contains>", errors);
        if (errors.messages().size() > before) {
            return null;
        }
        return new CommandVerifier.FileCheck(path.strip(), mustExist, bits, blank(owner) ? null : owner.strip(), content);
    }
}
