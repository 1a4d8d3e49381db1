package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.github.amimaven.testing.HostileInput;

/** Values that end up in a Windows machine's remote commands, as the validate goal takes them. */
class RemoteCommandInputTest {

    @TempDir
    static Path basedir;

    static String powershell(String remoteDirectory) {
        return images(image("<os>windows</os><provisioners><powershell><inline><line>hostname</line></inline>"
                + "<remoteDirectory>" + remoteDirectory + "</remoteDirectory></powershell></provisioners>"));
    }

    @HostileInput
    @ParameterizedTest
    @ValueSource(strings = {"C:/x\" &amp; whoami &amp; \"", "C:/a|b", "C:/a&gt;b", "C:/a*", "C:/a?", "C:/a&#10;b"})
    void aRemoteDirectoryWindowsCannotHoldIsRefused(String remoteDirectory) throws Exception {
        String message = assertThrows(MojoFailureException.class,
                ProjectPathsTest.validateMojo(powershell(remoteDirectory), basedir)::definitions).getMessage();
        String expected = HostileInputTest.W + "/<provisioners>/<powershell>[1]/<remoteDirectory>";
        assertTrue(message.contains(expected) && message.contains("is not a Windows directory path"),
                "expected\n  " + expected + "\nin\n  " + message);
    }

    @Test
    void aRemoteDirectoryWithAQuoteOrDollarIsTakenForItIsQuoted() throws Exception {
        assertEquals(1, ProjectPathsTest.validateMojo(powershell("C:/it's $(here)"), basedir).definitions().specs().size());
    }
}
