package io.github.amimaven.config;

import io.github.amimaven.provision.Shell;
import static io.github.amimaven.testing.PomBinder.bind;
import static io.github.amimaven.testing.PomBinder.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.mojo.BuildMojo;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SshAccess;

/** Binds POM XML with Maven's own configurator (Sisu), exactly as Maven does for the plugin's goals. */
class PomBindingTest {

    @TempDir
    Path basedir;

    @Test
    void bindsImagesProvisionersByElementNameTagsAndLists() throws Exception {
        Files.createDirectories(basedir.resolve("scripts"));
        Files.writeString(basedir.resolve("scripts/harden.sh"), "#!/bin/bash\necho hardening\n");
        Files.createDirectories(basedir.resolve("files"));
        Files.writeString(basedir.resolve("files/motd"), "hello\n");
        BuildMojo mojo = bind(new BuildMojo(), """
                <region>ap-southeast-2</region>
                <defaults>
                  <instanceType>t3.small</instanceType>
                  <ssh><user>centos</user><allowedCidrs>10.0.0.0/8,192.0.2.7/32</allowedCidrs></ssh>
                  <tags><Team>platform</Team><Env>test</Env></tags>
                </defaults>
                <images>
                  <image>
                    <name>centos7-secure</name>
                    <source>
                      <owners><owner>679593333241</owner></owners>
                      <name>CentOS Linux 7 x86_64 HVM EBS*</name>
                      <filters><filter><name>architecture</name><values><value>x86_64</value></values></filter></filters>
                    </source>
                    <provisioners>
                      <shell><inline><line>echo one</line><line>echo two</line></inline></shell>
                      <file><source>files/motd</source><destination>/tmp/motd</destination></file>
                      <shell><script>scripts/harden.sh</script><env><LEVEL>high</LEVEL></env><sudo>true</sudo>
                        <validExitCodes><code>0</code><code>3</code></validExitCodes></shell>
                    </provisioners>
                    <tags><Env>prod</Env></tags>
                  </image>
                </images>
                """);
        List<ImageConfig> images = field(mojo, "images");
        ImageConfig defaults = field(mojo, "defaults");
        assertEquals(List.of(Shell.class, io.github.amimaven.provision.File.class, Shell.class),
                images.get(0).getProvisioners().stream().map(Object::getClass).toList());

        List<ImageSpec> specs = ImageDefinitions.resolve(images, defaults, null,
                new ProjectInfo("g", "a", "1.0", basedir, basedir.resolve("target")));
        ImageSpec spec = specs.get(0);
        assertEquals("t3.small", spec.launch().instanceType());
        assertEquals(List.of("10.0.0.0/8", "192.0.2.7/32"), spec.ssh().allowedCidrs());
        assertEquals("centos", spec.ssh().user());
        assertEquals(SshAccess.AddressType.AUTO, spec.ssh().address());
        assertEquals("prod", spec.tags().get("Env"), "the image's tag wins over the default's");
        assertEquals("platform", spec.tags().get("Team"));
        assertEquals(List.of("679593333241"), spec.source().owners());
        assertEquals(List.of("x86_64"), spec.source().filters().get("architecture"));
        assertEquals(List.of("shell inline (2 lines)", "file files/motd -> /tmp/motd", "shell scripts/harden.sh (sudo)"),
                spec.provisioners().stream().map(p -> p.describe()).toList());
    }

    @Test
    void bindsUserDataCompletionAndSuggestsItsElements() throws Exception {
        BuildMojo mojo = bind(new BuildMojo(), """
                <region>ap-southeast-2</region>
                <defaults>
                  <communicator>none</communicator>
                  <userDataCompletion><waitFor>pause</waitFor><pause>PT2M</pause></userDataCompletion>
                </defaults>
                <images>
                  <image>
                    <name>paused</name>
                    <source><id>ami-0123456789abcdef0</id></source>
                  </image>
                  <image>
                    <name>powers-off</name>
                    <source><id>ami-0123456789abcdef0</id></source>
                    <userData>#!/bin/sh
                echo done &gt; /etc/motd
                shutdown -h now</userData>
                    <userDataCompletion><waitFor>shutdown</waitFor></userDataCompletion>
                  </image>
                </images>
                """);
        List<ImageSpec> specs = ImageDefinitions.resolve(field(mojo, "images"), field(mojo, "defaults"), null,
                new ProjectInfo("g", "a", "1.0", basedir, basedir.resolve("target")));
        assertEquals(java.time.Duration.ofMinutes(2), specs.get(0).userDataCompletion().pause());
        assertTrue(specs.get(1).userDataCompletion().waitsForShutdown());
        assertTrue(specs.get(1).launch().userData().endsWith("shutdown -h now"), specs.get(1).launch().userData());

        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class, () -> bind(new BuildMojo(),
                "<images><image><name>x</name><userDataCompletion><waitfor>pause</waitfor></userDataCompletion></image></images>"));
        assertTrue(e.getMessage().contains("unknown element <waitfor>"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean <waitFor>?"), e.getMessage());
    }

    @Test
    void unknownElementIsRejectedNamingIt() {
        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class,
                () -> bind(new BuildMojo(), "<images><image><name>x</name><instancetype>t3.micro</instancetype></image></images>"));
        assertTrue(e.getMessage().contains("unknown element <instancetype>"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean <instanceType>?"), e.getMessage());
    }

    @Test
    void unknownProvisionerIsRejectedNamingIt() {
        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class,
                () -> bind(new BuildMojo(), "<images><image><name>x</name><provisioners><puppet><manifest>m.pp</manifest></puppet>"
                        + "</provisioners></image></images>"));
        assertEquals("<images>/<image>[1]/<provisioners> has an unknown provisioner <puppet>: use one of <shell>, <file>, <ansible>, <reboot>, <powershell>",
                e.getMessage());
    }
}
