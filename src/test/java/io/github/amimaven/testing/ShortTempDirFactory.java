package io.github.amimaven.testing;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import io.github.amimaven.process.ShortTemp;

/**
 * Every {@code @TempDir} of the suite (junit-platform.properties makes this the default): under the plugin's own
 * short temp root, so that the VM directories, sshd work directories and sockets tests put in them fit the Unix
 * socket limit whatever {@code java.io.tmpdir} a test JVM is given.
 */
public final class ShortTempDirFactory implements TempDirFactory {

    @Override
    public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext)
            throws Exception {
        return ShortTemp.createDirectory("junit-");
    }
}
