package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static io.github.amimaven.testing.PomBinder.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.testing.CollectingLog;

/** {@code <strictHostKeys>} covers the plugin's SSH and every tool handed its known_hosts; validate says where it does not. */
class HostKeyWarningTest {

    @TempDir
    static Path basedir;

    private static final String STRICT = "<ssh><user>centos</user><allowedCidrs>203.0.113.7/32</allowedCidrs>"
            + "<strictHostKeys>true</strictHostKeys></ssh>";

    @BeforeAll
    static void project() throws Exception {
        HostileInputTest.basedir = basedir;
        Files.createDirectories(basedir.resolve("profiles/baseline/controls"));
        Files.writeString(basedir.resolve("profiles/baseline/inspec.yml"), "name: baseline\n");
        Files.createDirectories(basedir.resolve("tests"));
        Files.writeString(basedir.resolve("tests/test_image.py"), "def test_ok():\n    pass\n");
    }

    @Test
    void anInspecVerifierUnderStrictHostKeysIsWarnedAboutAndTheOthersAreNot() throws Exception {
        List<String> warnings = validateWarnings(images(
                image(STRICT + "<verifiers><inspec><profile>profiles/baseline</profile></inspec></verifiers>"),
                image("<name>db</name>" + STRICT + "<verifiers><testinfra><tests>tests</tests></testinfra></verifiers>"),
                image("<name>cache</name><verifiers><inspec><profile>profiles/baseline</profile></inspec></verifiers>")));
        assertEquals(List.of("WARN image web: <ssh><strictHostKeys> is on, but inspec "
                + basedir.toRealPath().resolve("profiles/baseline") + " connects to the test machine with host key checking off:"
                + " InSpec's SSH transport takes no known_hosts. Use a verifier that checks the key (testinfra, serverspec,"
                + " command) where an impostor on the network is a concern"), warnings);
    }

    private static List<String> validateWarnings(String images) throws Exception {
        CollectingLog log = CollectingLog.quiet();
        ValidateMojo mojo = new ValidateMojo() {
            @Override
            protected BuildLog buildLog() {
                return log;
            }
        };
        mojo.project = HostileInputTest.project();
        mojo.threads = 4;
        mojo.maxAttempts = 10;
        // with a role to assume, the credentials are checked when the role is, by the first call
        bind(mojo, "<region>eu-west-1</region><roleArn>arn:aws:iam::123456789012:role/builder</roleArn>" + images);
        mojo.execute();
        return log.lines().stream().filter(l -> l.startsWith("WARN")).toList();
    }
}
