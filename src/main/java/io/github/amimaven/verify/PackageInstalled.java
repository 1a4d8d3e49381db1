package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;

/** {@code <packageInstalled>openssh-server</packageInstalled>}: a package dpkg or rpm reports installed. */
public class PackageInstalled extends CheckConfig {

    /** The package's name; also what the element's text sets. */
    private String name;

    /** Lets Maven bind the element's text: {@code <packageInstalled>curl</packageInstalled>}. */
    public void set(String value) {
        name = value;
    }

    @Override
    String element() {
        return "packageInstalled";
    }

    @Override
    CommandVerifier.Check toCheck(String at, Errors errors) {
        if (blank(name)) {
            errors.add(at, "names no package", "write <packageInstalled>openssh-server</packageInstalled>");
            return null;
        }
        if (!name.strip().matches("[A-Za-z0-9][A-Za-z0-9.+_:~-]*")) {
            errors.add(at, "'" + name + "' is not a package name", "use the name dpkg or rpm knows, e.g. openssh-server");
            return null;
        }
        return new CommandVerifier.PackageInstalled(name.strip());
    }
}
