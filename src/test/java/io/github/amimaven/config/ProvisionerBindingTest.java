package io.github.amimaven.config;

import io.github.amimaven.validation.ConfigurationException;
import static io.github.amimaven.testing.PomBinder.bind;
import static io.github.amimaven.testing.PomBinder.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.mojo.BuildMojo;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;

/** {@code <ansible>}, {@code <reboot>}, {@code <powershell>} and shell {@code <expectDisconnect>} from POM XML. */
class ProvisionerBindingTest {

    @TempDir
    Path basedir;

    private static final String IMAGE_HEAD = """
            <region>ap-southeast-2</region>
            <images><image><name>x</name>
              <source><id>ami-0123456789abcdef0</id></source>
              <ssh><user>centos</user><allowedCidrs>10.0.0.0/8</allowedCidrs></ssh>
              <provisioners>
            """;
    private static final String IMAGE_TAIL = "</provisioners></image></images>";

    private List<ImageSpec> resolve(String provisioners) throws Exception {
        BuildMojo mojo = bind(new BuildMojo(), IMAGE_HEAD + provisioners + IMAGE_TAIL);
        List<ImageConfig> images = field(mojo, "images");
        return ImageDefinitions.resolve(images, null, null, new ProjectInfo("g", "a", "1.0", basedir, basedir.resolve("target")));
    }

    private List<String> problems(String provisioners) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> resolve(provisioners));
        return e.problems();
    }

    @Test
    void bindsEveryNewProvisionerByItsElementName() throws Exception {
        Files.createDirectories(basedir.resolve("ansible/roles"));
        Files.writeString(basedir.resolve("ansible/site.yml"), "- hosts: all\n");
        Files.writeString(basedir.resolve("ansible/vars.yml"), "greeting: hello\n");
        Files.writeString(basedir.resolve("setup.ps1"), "Write-Host hi\n");
        List<ImageSpec> specs = resolve("""
                <shell><inline><line>sudo reboot</line></inline><expectDisconnect>true</expectDisconnect></shell>
                <reboot><timeout>10m</timeout></reboot>
                <reboot><mode>windows-restart</mode></reboot>
                <ansible>
                  <playbook>ansible/site.yml</playbook>
                  <rolesPath><path>ansible/roles</path></rolesPath>
                  <extraVars><greeting>hi</greeting></extraVars>
                  <extraVarsFile>ansible/vars.yml</extraVarsFile>
                  <tags><tag>base</tag></tags>
                  <skipTags><tag>slow</tag></skipTags>
                  <become>true</become>
                  <environment><HTTP_PROXY>http://proxy:3128</HTTP_PROXY></environment>
                  <retryOnExitCodes><code>4</code></retryOnExitCodes>
                  <maxRetries>2</maxRetries>
                  <waitForRetry>5s</waitForRetry>
                  <extraArguments><argument>--diff</argument></extraArguments>
                  <pythonInterpreter>/usr/bin/python3</pythonInterpreter>
                  <groups><group>web</group></groups>
                </ansible>
                <powershell><script>setup.ps1</script><elevated>true</elevated><env><LEVEL>high</LEVEL></env></powershell>
                <powershell><inline><line>Write-Host a</line></inline><executionPolicy>RemoteSigned</executionPolicy></powershell>
                """);
        assertEquals(List.of("shell inline (1 line) (may disconnect)", "reboot (timeout 600 s)",
                "reboot (windows-restart) (timeout 300 s)", "ansible site.yml (become)", "powershell setup.ps1 (elevated)",
                "powershell inline (1 line)"),
                specs.get(0).provisioners().stream().map(p -> p.describe()).toList());
    }

    @Test
    void aMissingPlaybookNamesItsPomPathAndTheFix() {
        Path file = basedir.resolve("site.yml");
        assertEquals(List.of("<images>/<image name=x>/<provisioners>/<ansible>[2]/<playbook> 'site.yml' cannot be read ("
                + file + "): check the path; it is relative to the project directory " + basedir),
                problems("<shell><inline><line>true</line></inline></shell><ansible><playbook>site.yml</playbook></ansible>"));
        assertEquals(List.of("<images>/<image name=x>/<provisioners>/<ansible>[1]/<playbook> is missing: name the playbook"
                + " relative to the project directory, e.g. ansible/site.yml"), problems("<ansible/>"));
    }

    @Test
    void ansibleOptionsAreValidatedEachNamingItsPath() throws Exception {
        Files.writeString(basedir.resolve("site.yml"), "- hosts: all\n");
        Files.writeString(basedir.resolve("vars.yml"), "- just\n- a list\n");
        String at = "<images>/<image name=x>/<provisioners>/<ansible>[1]";
        assertEquals(List.of(
                at + "/<rolesPath> 'roles' is not a directory (" + basedir.resolve("roles") + "): check the path; it is"
                        + " relative to the project directory " + basedir,
                at + "/<extraVarsFile> 'vars.yml' is not a mapping of variables: write YAML or JSON such as greeting: hello",
                at + "/<galaxyFile> 'requirements.yml' cannot be read (" + basedir.resolve("requirements.yml")
                        + "): check the path; it is relative to the project directory " + basedir,
                at + "/<retryOnExitCodes> contains 0: ansible-playbook fails with exit codes 1 to 255",
                at + "/<maxRetries> is -1: choose between 0 and 20",
                at + "/<extraArguments> contains --extra-vars: the plugin sets the inventory, user, key, connection and SSH"
                        + " arguments itself; pass variables with <extraVars> or <extraVarsFile> and the vault password with"
                        + " <vaultPasswordFile>"),
                problems("""
                        <ansible><playbook>site.yml</playbook><rolesPath><path>roles</path></rolesPath>
                          <extraVarsFile>vars.yml</extraVarsFile><galaxyFile>requirements.yml</galaxyFile>
                          <retryOnExitCodes><code>0</code></retryOnExitCodes><maxRetries>-1</maxRetries>
                          <extraArguments><argument>--extra-vars=password=x</argument></extraArguments></ansible>
                        """));
    }

    @Test
    void rebootAndPowershellAreValidated() {
        String at = "<images>/<image name=x>/<provisioners>";
        assertEquals(List.of(at + "/<reboot>[1]/<mode> 'windows' is unknown: use linux or windows-restart",
                at + "/<reboot>[2]/<timeout> 'soon' is not a duration: write e.g. 90s, 10m, 1h30m or PT10M",
                at + "/<powershell>[3] has neither <inline> nor <script>: give exactly one: <inline><line>…</line></inline>"
                        + " or <script>scripts/setup.ps1</script>",
                at + "/<powershell>[4]/<executionPolicy> 'Lax' is unknown: use one of Bypass, Unrestricted, RemoteSigned,"
                        + " AllSigned, Restricted, Default, Undefined"),
                problems("<reboot><mode>windows</mode></reboot><reboot><timeout>soon</timeout></reboot><powershell/>"
                        + "<powershell><inline><line>x</line></inline><executionPolicy>Lax</executionPolicy></powershell>"));
    }

    @Test
    void anUnknownProvisionerListsEveryKnownOne() {
        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class,
                () -> bind(new BuildMojo(), "<images><image><name>x</name><provisioners><puppet><manifest>m.pp</manifest></puppet>"
                        + "</provisioners></image></images>"));
        assertEquals("<images>/<image>[1]/<provisioners> has an unknown provisioner <puppet>: use one of <shell>, <file>,"
                + " <ansible>, <reboot>, <powershell>", e.getMessage());
    }
}
