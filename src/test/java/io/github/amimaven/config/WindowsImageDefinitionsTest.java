package io.github.amimaven.config;

import io.github.amimaven.provision.Powershell;
import io.github.amimaven.provision.Reboot;
import io.github.amimaven.provision.Shell;
import io.github.amimaven.validation.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.mojo.BuildMojo;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.WindowsOptions;
import io.github.amimaven.steps.WindowsScripts;
import io.github.amimaven.provision.RebootProvisioner;
import io.github.amimaven.testing.PomBinder;

/** {@code <os>windows</os>} and {@code <windows>}: defaults, inheritance and every refusal with its POM path. */
class WindowsImageDefinitionsTest {

    @TempDir
    Path basedir;

    ProjectInfo project() {
        return new ProjectInfo("com.example", "images", "1.2.0", basedir, basedir.resolve("target"));
    }

    static ImageConfig windows(String name) {
        return new ImageConfig().name(name).os("windows")
                .source(new SourceConfig().owners(List.of("801119661308")).name("Windows_Server-2022-English-Full-Base-*"))
                .ssh(new SshConfig().allowedCidrs(List.of("198.51.100.0/24")));
    }

    ImageSpec resolve(ImageConfig image, ImageConfig defaults) {
        return ImageDefinitions.resolve(List.of(image), defaults, null, project()).get(0);
    }

    List<String> problems(ImageConfig image, ImageConfig defaults) {
        return assertThrows(ConfigurationException.class,
                () -> ImageDefinitions.resolve(List.of(image), defaults, null, project())).problems();
    }

    @Test
    void aWindowsImageLogsInAsAdministratorThroughTheDefaultUserDataAndIsGeneralised() {
        ImageSpec spec = resolve(windows("win"), null);
        assertEquals("windows", spec.os());
        assertEquals("Administrator", spec.ssh().user());
        assertEquals(Duration.ofMinutes(20), spec.ssh().timeout(), "a Windows first boot takes minutes");
        assertEquals(WindowsScripts.defaultUserData(22), spec.launch().userData());
        assertEquals(new WindowsOptions(true, false, Duration.ofMinutes(20)), spec.windows());
        assertTrue(spec.launch().requireImdsV2(), "the user data uses IMDSv2 tokens");
    }

    @Test
    void linuxStaysTheDefault() {
        ImageSpec spec = resolve(ImageDefinitionsTest.image("web"), null);
        assertEquals("linux", spec.os());
        assertNull(spec.windows());
        assertNull(spec.launch().userData());
        assertEquals(Duration.ofMinutes(5), spec.ssh().timeout());
    }

    @Test
    void whatTheUserWritesWins() {
        ImageConfig own = windows("win").userData("<powershell>Write-Host mine</powershell>")
                .ssh(new SshConfig().user("builder").port(2222).allowedCidrs(List.of("198.51.100.0/24")));
        ImageSpec spec = resolve(own, null);
        assertEquals("builder", spec.ssh().user());
        assertEquals("<powershell>Write-Host mine</powershell>", spec.launch().userData());
        ImageSpec port = resolve(windows("win").ssh(new SshConfig().port(2222).allowedCidrs(List.of("10.0.0.0/8"))), null);
        assertEquals(WindowsScripts.defaultUserData(2222), port.launch().userData());
    }

    @Test
    void osAndWindowsSettingsAreInheritedFromDefaultsFieldByField() {
        ImageConfig defaults = new ImageConfig().os("windows")
                .windows(new WindowsConfig().getPassword(true).passwordTimeout("5m"));
        ImageConfig image = windows("win").os(null).windows(new WindowsConfig().sysprep(false));
        ImageSpec spec = resolve(image, defaults);
        assertEquals("windows", spec.os());
        assertEquals(new WindowsOptions(false, true, Duration.ofMinutes(5)), spec.windows());
    }

    @Test
    void rebootsDefaultToWindowsRestartAndLinuxRebootsAreRefused() {
        ImageSpec spec = resolve(windows("win").provisioners(List.of(new Reboot(), new Reboot().mode("windows-restart"))), null);
        List<String> commands = spec.provisioners().stream().map(p -> ((RebootProvisioner) p).command()).toList();
        assertEquals(List.of(RebootProvisioner.WINDOWS_RESTART_COMMAND, RebootProvisioner.WINDOWS_RESTART_COMMAND), commands);
        assertEquals(List.of("<images>/<image name=win>/<provisioners>/<reboot>[1]/<mode> is linux, which cannot reboot "
                + "Windows: remove <mode> (Windows images reboot in windows-restart mode) or write <mode>windows-restart</mode>"),
                problems(windows("win").provisioners(List.of(new Reboot().mode("linux"))), null));
        assertEquals(RebootProvisioner.LINUX_COMMAND,
                ((RebootProvisioner) resolve(ImageDefinitionsTest.image("web").provisioners(List.of(new Reboot())), null)
                        .provisioners().get(0)).command());
    }

    @Test
    void shellStepsAreRefusedSuggestingPowershell() {
        ImageConfig image = windows("win").provisioners(List.of(
                new Powershell().inline(List.of("Write-Host ok")), new Shell().inline(List.of("echo no"))));
        assertEquals(List.of("<images>/<image name=win>/<provisioners>/<shell>[2] runs sh scripts, which a Windows image "
                + "cannot run: use <powershell> with <inline> lines or a .ps1 <script>"), problems(image, null));
    }

    @Test
    void badWindowsSettingsNameTheirField() {
        assertEquals("<images>/<image name=win>/<os> 'solaris' is unknown: use linux or windows",
                problems(windows("win").os("solaris"), null).get(0));
        assertEquals(List.of("<images>/<image name=win>/<os> is windows, which only the ec2 platform builds: build Windows "
                + "images with <platform>ec2</platform>"), problems(windows("win").platform("local").ssh(new SshConfig()), null));
        assertEquals(List.of("<images>/<image name=web>/<windows> is set but <os> is linux: set <os>windows</os>, or remove "
                + "<windows>"), problems(ImageDefinitionsTest.image("web").windows(new WindowsConfig().sysprep(false)), null));
        assertEquals(List.of("<images>/<image name=win>/<windows>/<passwordTimeout> 'soon' is not a duration: write e.g. "
                + "90s, 10m, 1h30m or PT10M"), problems(windows("win").windows(new WindowsConfig().passwordTimeout("soon")), null));
    }

    @Test
    void windowsDefaultsDoNotBotherLinuxImages() {
        ImageConfig defaults = new ImageConfig().windows(new WindowsConfig().getPassword(true));
        ImageSpec linux = resolve(ImageDefinitionsTest.image("web"), defaults);
        assertNull(linux.windows());
    }

    @Test
    void withoutSshThereIsNoDefaultUserDataNoSysprepAndNoPassword() {
        ImageConfig none = new ImageConfig().name("ud").os("windows").communicator("none")
                .source(new SourceConfig().id("ami-0123456789abcdef0"))
                .userDataCompletion(new UserDataCompletionConfig().waitFor("pause").pause("10m"));
        ImageSpec spec = resolve(none, null);
        assertNull(spec.launch().userData());
        assertFalse(spec.windows().sysprep());
        List<String> problems = problems(new ImageConfig().name("ud").os("windows").communicator("none")
                .source(new SourceConfig().id("ami-0123456789abcdef0")).userData("<powershell>Stop-Computer</powershell>")
                .windows(new WindowsConfig().sysprep(true).getPassword(true)), null);
        assertEquals(List.of(
                "<images>/<image name=ud>/<windows>/<sysprep> needs SSH but <communicator> is none: remove <sysprep>, or set "
                        + "<communicator>ssh</communicator>",
                "<images>/<image name=ud>/<windows>/<getPassword> needs the build's key pair, which <communicator>none"
                        + "</communicator> does not make: remove <getPassword>, or set <communicator>ssh</communicator>"),
                problems);
    }

    @Test
    void bindsFromThePomWithMavensConfigurator() throws Exception {
        BuildMojo mojo = PomBinder.bind(new BuildMojo(), """
                <region>eu-west-1</region>
                <defaults><os>windows</os><windows><getPassword>true</getPassword></windows></defaults>
                <images>
                  <image>
                    <name>iis</name>
                    <source><owners><owner>801119661308</owner></owners><name>Windows_Server-2022-English-Full-Base-*</name></source>
                    <ssh><allowedCidrs>203.0.113.7/32</allowedCidrs></ssh>
                    <windows><sysprep>false</sysprep><passwordTimeout>30m</passwordTimeout></windows>
                    <provisioners>
                      <powershell><inline><line>Install-WindowsFeature Web-Server</line></inline><elevated>true</elevated></powershell>
                      <reboot/>
                    </provisioners>
                  </image>
                </images>
                """);
        List<ImageConfig> images = PomBinder.field(mojo, "images");
        ImageConfig defaults = PomBinder.field(mojo, "defaults");
        ImageSpec spec = ImageDefinitions.resolve(images, defaults, null, project()).get(0);
        assertEquals("windows", spec.os());
        assertEquals(new WindowsOptions(false, true, Duration.ofMinutes(30)), spec.windows());
        assertEquals(List.of("powershell inline (1 line) (elevated)", "reboot (windows-restart) (timeout 300 s)"),
                spec.provisioners().stream().map(p -> p.describe()).toList());
    }
}
