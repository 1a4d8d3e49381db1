package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.W;
import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.github.amimaven.testing.HostileInput;

/**
 * {@code <ansible>} arguments that would replace what the plugin sets, read as ansible-playbook's argparse reads them
 * (clustered short options, attached values, {@code --name=value}, abbreviated long options), and an
 * {@code <executable>} with {@code ..}: each refused by validate, naming the field.
 */
class HostileAnsibleInputTest {

    private static final String AT = W + "/<provisioners>/<ansible>[1]";

    @TempDir
    static Path project;

    @BeforeAll
    static void projectFiles() throws Exception {
        // HostileInputTest's helpers validate against its project directory: this class's own
        HostileInputTest.basedir = project;
        HostileInputTest.projectFiles();
    }

    private static String ansible(String inner) {
        return images(image("<provisioners><ansible><playbook>ansible/site.yml</playbook>" + inner + "</ansible></provisioners>"));
    }

    private static String arguments(String... arguments) {
        return ansible("<extraArguments>" + Stream.of(arguments).map(a -> "<extraArgument>" + a + "</extraArgument>")
                .collect(Collectors.joining()) + "</extraArguments>");
    }

    private static String refusal(String configuration) throws Exception {
        ValidateMojo mojo = HostileInputTest.validateMojo("<region>ap-southeast-2</region>" + configuration);
        return assertThrows(MojoFailureException.class, mojo::definitions).getMessage();
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-e@/etc/passwd", "-ex=y", "-vvve@vars.yml", "-bi", "--extra-var=x", "--extra-vars=x", "--extra",
            "--ssh-common-args=-oProxyCommand=id", "--ssh-extra-args", "--private-key=../id", "--key-file", "-i",
            "--inventory=other.yml", "--inv", "-u", "-uroot", "--user=root", "-c", "-clocal", "--connection=local",
            "--vault-id=prod@pass.txt", "-k", "--scp-extra-args=x", "--conn-pass-file=x"})
    void aReservedOptionInAnyFormIsRefused(String argument) throws Exception {
        String message = refusal(arguments("--diff", argument));
        assertTrue(message.contains(AT + "/<extraArguments> contains -"), message);
    }

    @HostileInput
    @Test
    void anAbbreviationNamesTheOptionItStandsFor() throws Exception {
        String message = refusal(arguments("--extra=greeting=hi"));
        assertTrue(message.contains(AT + "/<extraArguments> contains --extra-vars (as --extra)"), message);
    }

    @Test
    void ordinaryOptionsValuesAndPlaybooksAfterDoubleDashPass() throws Exception {
        ValidateMojo mojo = HostileInputTest.validateMojo("<region>ap-southeast-2</region>"
                + arguments("-vvv", "--diff", "-C", "--limit", "web", "-lweb", "--forks=2", "--skip-tags=slow",
                        "-t", "install", "--", "-e.yml"));
        assertEquals(1, mojo.definitions().specs().size());
    }

    @HostileInput
    @Test
    void anExecutableWithDotDotIsRefused() throws Exception {
        String message = refusal(ansible("<executable>tools/../../../usr/bin/ansible-playbook</executable>"));
        assertTrue(message.contains(AT + "/<executable> 'tools/../../../usr/bin/ansible-playbook' has a '..' component"),
                message);
    }
}
