package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static io.github.amimaven.mojo.HostileInputTest.shell;
import static io.github.amimaven.testing.PomBinder.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.testing.HostileInput;
import io.github.amimaven.testing.PomBinder;

/**
 * Project files reached through symlinks, read by the validate goal as Maven binds it: a file whose real path is
 * outside the project directory is refused, naming the POM field, unless the image sets
 * {@code <allowFilesOutsideProject>}.
 */
class ProjectPathsTest {

    @TempDir
    static Path root;
    static Path basedir;
    static Path outside;
    /** Stands for {@link #outside} in the cases, which are listed before the directory exists (and counted without it). */
    static final String OUTSIDE = "@outside@";

    static final String W = HostileInputTest.W;

    @BeforeAll
    static void projectWithLinksOut() throws Exception {
        basedir = Files.createDirectories(root.resolve("project"));
        outside = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(outside.resolve("secret.txt"), "not the project's\n");
        Files.createDirectories(outside.resolve("tree"));
        Files.writeString(outside.resolve("tree/secret.txt"), "not the project's\n");
        Files.createDirectories(basedir.resolve("scripts"));
        Files.writeString(basedir.resolve("scripts/ok.sh"), "#!/bin/sh\necho ok\n");
        Files.createSymbolicLink(basedir.resolve("scripts/shadow.sh"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(basedir.resolve("scripts/outside.sh"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(basedir.resolve("scripts/same.sh"), Path.of("ok.sh"));
        Files.createSymbolicLink(basedir.resolve("linked-tree"), outside.resolve("tree"));
        Files.createSymbolicLink(basedir.resolve("site.yml"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(basedir.resolve("user-data.txt"), outside.resolve("secret.txt"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("script linked to /etc/shadow", images(image(shell("<script>scripts/shadow.sh</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> 'scripts/shadow.sh' is outside the project directory"
                                + " (it is /etc/shadow): keep the file inside"),
                arguments("script linked out of the project", images(image(shell("<script>scripts/outside.sh</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> 'scripts/outside.sh' is outside the project directory"),
                arguments("absolute script path elsewhere", images(image(shell("<script>" + OUTSIDE + "/secret.txt"
                        + "</script>"))), W + "/<provisioners>/<shell>[1]/<script> '" + OUTSIDE + "/secret.txt"
                        + "' is outside the project directory"),
                arguments("directory as a script", images(image(shell("<script>scripts</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> 'scripts' is a directory"),
                arguments("directory as a PowerShell script", images(image("<os>windows</os><provisioners><powershell>"
                        + "<script>scripts/</script></powershell></provisioners>")),
                        W + "/<provisioners>/<powershell>[1]/<script> 'scripts/' is a directory"),
                arguments("uploaded directory linked out", images(image("<provisioners><file><source>linked-tree</source>"
                        + "<destination>/tmp/t</destination></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<source> 'linked-tree' is outside the project directory"),
                arguments("uploaded file inside a linked directory", images(image("<provisioners><file><source>"
                        + "linked-tree/secret.txt</source><destination>/tmp/t</destination></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<source> 'linked-tree/secret.txt' is outside the project directory"),
                arguments("playbook linked out", images(image("<provisioners><ansible><playbook>site.yml</playbook>"
                        + "</ansible></provisioners>")),
                        W + "/<provisioners>/<ansible>[1]/<playbook> 'site.yml' is outside the project directory"),
                arguments("ansible roles linked out", images(image("<provisioners><ansible><playbook>scripts/ok.sh"
                        + "</playbook><rolesPath>linked-tree</rolesPath></ansible></provisioners>")),
                        W + "/<provisioners>/<ansible>[1]/<rolesPath> 'linked-tree' is outside the project directory"),
                arguments("testinfra tests linked out", images(image("<verifiers><testinfra><tests>linked-tree</tests>"
                        + "</testinfra></verifiers>")),
                        W + "/<verifiers>/<testinfra>[1]/<tests> 'linked-tree' is outside the project directory"),
                arguments("inspec profile linked out", images(image("<verifiers><inspec><profile>linked-tree</profile>"
                        + "</inspec></verifiers>")),
                        W + "/<verifiers>/<inspec>[1]/<profile> 'linked-tree' is outside the project directory"),
                arguments("file mode not octal", images(image("<provisioners><file><source>scripts/ok.sh</source>"
                        + "<destination>/tmp/t</destination><mode>rw-r--r--</mode></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<mode> 'rw-r--r--' is not a file mode: write it in octal"),
                arguments("file mode with setuid", images(image("<provisioners><file><source>scripts/ok.sh</source>"
                        + "<destination>/tmp/t</destination><mode>4755</mode></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<mode> '4755' is not a file mode"),
                arguments("user data linked out", images(image("<userDataFile>user-data.txt</userDataFile>")),
                        W + "/<userDataFile> 'user-data.txt' is outside the project directory"),
                arguments("directory as a script where outside files are allowed", images(image("<allowFilesOutsideProject>true"
                        + "</allowFilesOutsideProject>" + shell("<script>scripts</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> 'scripts' is a directory"));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedByValidateNamingTheField(String name, String configuration, String expected) throws Exception {
        configuration = configuration.replace(OUTSIDE, outside.toString());
        expected = expected.replace(OUTSIDE, outside.toString());
        String message = assertThrows(MojoFailureException.class, validateMojo(configuration)::definitions).getMessage();
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    @Test
    void aLinkInsideTheProjectIsReadAsItsTarget() throws Exception {
        ImageSpec spec = validateMojo(images(image(shell("<script>scripts/same.sh</script>")))).definitions().specs().get(0);
        assertEquals(1, spec.provisioners().size());
    }

    @Test
    void anImageThatAllowsFilesOutsideTheProjectReadsThem() throws Exception {
        ValidateMojo mojo = validateMojo("<defaults><allowFilesOutsideProject>true</allowFilesOutsideProject></defaults>"
                + images(image("<source><id>ami-0123456789abcdef0</id></source>" + shell("<script>scripts/outside.sh</script>")
                        .replace("</provisioners>", "<file><source>linked-tree</source><destination>/tmp/t</destination>"
                                + "</file></provisioners>"))));
        assertEquals(2, mojo.definitions().specs().get(0).provisioners().size());
    }

    @Test
    void aProjectReachedThroughALinkKeepsItsOwnFiles() throws Exception {
        Path linkedProject = Files.createSymbolicLink(root.resolve("project-link"), basedir);
        ValidateMojo mojo = validateMojo(images(image(shell("<script>scripts/ok.sh</script>"))), linkedProject);
        assertEquals(1, mojo.definitions().specs().get(0).provisioners().size());
    }

    static ValidateMojo validateMojo(String configuration) throws Exception {
        return validateMojo(configuration, basedir);
    }

    static ValidateMojo validateMojo(String configuration, Path projectDirectory) throws Exception {
        ValidateMojo mojo = new ValidateMojo();
        mojo.project = PomBinder.project(projectDirectory);
        mojo.threads = 4;
        mojo.maxAttempts = 10;
        return bind(mojo, "<region>ap-southeast-2</region>" + configuration);
    }
}
