package io.github.amimaven.config;

import java.nio.file.Path;

import io.github.amimaven.provision.Provisioner;

/**
 * One element of {@code <provisioners>}. Maven picks the subclass from the element's name: {@code <shell>} binds
 * {@link Shell}, {@code <file>} binds {@link File}, each a class of this package named after its element.
 */
public abstract class ProvisionerConfig {

    /** The element's name in the POM, for error messages. */
    abstract String element();

    /** Validates, and returns the provisioner or null when there were errors. */
    abstract Provisioner toProvisioner(Path basedir, String at, Errors errors);
}
