package io.github.amimaven.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.process.ShortTemp;

class ShortTempDirFactoryTest {

    /** JUnit's own factory would follow java.io.tmpdir, however long a test JVM's is. */
    @Test
    void theSuitesTempDirsAreMadeUnderTheShortRoot(@TempDir Path dir) throws Exception {
        assertEquals(ShortTemp.root(), dir.getParent());
        Properties junit = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/junit-platform.properties")) {
            junit.load(in);
        }
        assertEquals(ShortTempDirFactory.class.getName(), junit.getProperty("junit.jupiter.tempdir.factory.default"));
    }
}
