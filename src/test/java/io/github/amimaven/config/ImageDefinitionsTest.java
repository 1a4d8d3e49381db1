package io.github.amimaven.config;

import io.github.amimaven.provision.Shell;
import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.validation.Durations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.UserDataCompletion;

class ImageDefinitionsTest {

    @TempDir
    Path basedir;

    ProjectInfo project() {
        return new ProjectInfo("com.example", "images", "1.2.0", basedir, basedir.resolve("target"));
    }

    static ImageConfig image(String name) {
        return new ImageConfig().name(name)
                .source(new SourceConfig().owners(List.of("679593333241")).name("CentOS*"))
                .ssh(new SshConfig().user("centos").allowedCidrs(List.of("198.51.100.0/24")));
    }

    List<String> problems(List<ImageConfig> images) {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ImageDefinitions.resolve(images, null, null, project()));
        return e.problems();
    }

    @Test
    void aMinimalImageGetsSafeDefaults() {
        ImageSpec spec = ImageDefinitions.resolve(List.of(image("web")), null, null, project()).get(0);
        assertEquals("ec2", spec.platform());
        assertEquals("t3.micro", spec.launch().instanceType());
        assertTrue(spec.launch().requireImdsV2(), "IMDSv2 is required unless the user says otherwise");
        assertEquals(22, spec.ssh().port());
        assertEquals("{name}-{timestamp}", spec.nameTemplate());
        assertEquals(60, spec.timeouts().image().toMinutes());
    }

    @Test
    void everyProblemIsListedAtOnceWithItsPomPath() {
        ImageConfig noName = new ImageConfig().source(new SourceConfig().id("ami-0123456789abcdef0"))
                .ssh(new SshConfig().user("u").allowedCidrs(List.of("10.0.0.0/8")));
        ImageConfig badCidr = image("db").ssh(new SshConfig().user("centos").allowedCidrs(List.of("10.0.0/8", "0.0.0.0/0")));
        ImageConfig missingScript = image("app").provisioners(List.of(new Shell().script("scripts/missing.sh")));
        ImageConfig noSource = new ImageConfig().name("nosrc").ssh(new SshConfig().user("u").allowedCidrs(List.of("10.0.0.0/8")));
        List<String> problems = problems(List.of(noName, image("web"), image("web"), badCidr, missingScript, noSource));
        assertEquals(List.of(
                "<images>/<image>[1]/<name> is missing: name the image, e.g. <name>centos7-secure</name>",
                "<images>/<image name=web>/<name> 'web' is used by two images: give every image its own name",
                "<images>/<image name=db>/<ssh>/<allowedCidrs> '10.0.0/8' is not a CIDR: write e.g. 203.0.113.7/32",
                "<images>/<image name=app>/<provisioners>/<shell>[1]/<script> 'scripts/missing.sh' cannot be read ("
                        + basedir.resolve("scripts/missing.sh") + "): check the path; it is relative to the project directory " + basedir,
                "<images>/<image name=nosrc>/<source> is missing: set <source><id>ami-…</id></source> or "
                        + "<source><owners>…</owners><name>pattern*</name></source>"),
                problems);
    }

    @Test
    void sshIsNeverOpenedToTheWorldByDefault() {
        ImageConfig open = image("web").ssh(new SshConfig().user("centos"));
        String problem = problems(List.of(open)).get(0);
        assertTrue(problem.startsWith("<images>/<image name=web>/<ssh>/<allowedCidrs> is empty"), problem);
    }

    @Test
    void communicatorNoneNeedsNoSshButRefusesProvisioners() {
        ImageConfig none = new ImageConfig().name("ud").communicator("none").userData("#!/bin/sh\necho hi\n")
                .source(new SourceConfig().id("ami-0123456789abcdef0"));
        ImageSpec spec = ImageDefinitions.resolve(List.of(none), null, null, project()).get(0);
        assertEquals(null, spec.ssh());
        none.provisioners(List.of(new Shell().inline(List.of("true"))));
        assertTrue(problems(List.of(none)).get(0).contains("<provisioners> needs SSH but <communicator> is none"));
    }

    static ImageConfig userDataOnly(String name) {
        return new ImageConfig().name(name).communicator("none").userData("#!/bin/sh\necho hi > /etc/motd\npoweroff\n")
                .source(new SourceConfig().id("ami-0123456789abcdef0"));
    }

    @Test
    void communicatorNoneWaitsForTheUserDataToPowerTheBuilderOffUnlessToldToPause() {
        ImageSpec byDefault = ImageDefinitions.resolve(List.of(userDataOnly("ud")), null, null, project()).get(0);
        assertEquals(UserDataCompletion.SHUTDOWN, byDefault.userDataCompletion());
        ImageSpec paused = ImageDefinitions.resolve(List.of(userDataOnly("ud").userDataCompletion(
                new UserDataCompletionConfig().waitFor("pause").pause("PT2M"))), null, null, project()).get(0);
        assertEquals(Duration.ofMinutes(2), paused.userDataCompletion().pause());
        assertEquals(null, ImageDefinitions.resolve(List.of(image("web")), null, null, project()).get(0).userDataCompletion());

        // the image's own block replaces the defaults' whole: its <waitFor>shutdown</waitFor> does not get a <pause>
        ImageConfig defaults = new ImageConfig().userDataCompletion(new UserDataCompletionConfig().waitFor("pause").pause("90s"));
        assertEquals(Duration.ofSeconds(90), ImageDefinitions.resolve(List.of(userDataOnly("a")), defaults, null, project())
                .get(0).userDataCompletion().pause());
        assertEquals(UserDataCompletion.SHUTDOWN, ImageDefinitions.resolve(List.of(userDataOnly("b").userDataCompletion(
                new UserDataCompletionConfig().waitFor("shutdown"))), defaults, null, project()).get(0).userDataCompletion());
        // inherited by an image with SSH, it is not its own mistake
        assertEquals(null, ImageDefinitions.resolve(List.of(image("web")), defaults, null, project()).get(0).userDataCompletion());
    }

    @Test
    void userDataCompletionProblemsNameTheirFieldAndFix() {
        String at = "<images>/<image name=%s>/";
        assertEquals(List.of(
                at.formatted("noud") + "<userData> is missing, and with <communicator>none</communicator> the builder is"
                        + " captured once its user data has powered it off: give <userData> or <userDataFile> that ends by"
                        + " powering the machine off (shutdown -h now; cloud-config power_state: {mode: poweroff})",
                at.formatted("what") + "<userDataCompletion>/<waitFor> 'reboot' is unknown: use shutdown (the user data"
                        + " powers the builder off) or pause (wait <pause>, then stop it)",
                at.formatted("nolen") + "<userDataCompletion>/<pause> is missing: say how long the user data needs once the"
                        + " builder runs, e.g. <pause>3m</pause>",
                at.formatted("both") + "<userDataCompletion>/<pause> is set but <waitFor> is shutdown, which waits for the"
                        + " builder to power itself off: set <waitFor>pause</waitFor>, or remove <pause>",
                at.formatted("long") + "<userDataCompletion>/<pause> '20m' is longer than <timeouts><instance> (15m), which"
                        + " bounds every wait for the builder: shorten the pause, or raise <timeouts><instance>",
                at.formatted("bad") + "<userDataCompletion>/<pause> 'soon' is not a duration: write e.g. 90s, 10m, 1h30m or PT10M",
                at.formatted("ssh") + "<userDataCompletion> is set but <communicator> is ssh, whose builder the build stops"
                        + " itself once the provisioners are done: remove it, or set <communicator>none</communicator>"),
                problems(List.of(
                        new ImageConfig().name("noud").communicator("none").source(new SourceConfig().id("ami-0123456789abcdef0")),
                        userDataOnly("what").userDataCompletion(new UserDataCompletionConfig().waitFor("reboot")),
                        userDataOnly("nolen").userDataCompletion(new UserDataCompletionConfig().waitFor("pause")),
                        userDataOnly("both").userDataCompletion(new UserDataCompletionConfig().pause("2m")),
                        userDataOnly("long").userDataCompletion(new UserDataCompletionConfig().waitFor("pause").pause("20m")),
                        userDataOnly("bad").userDataCompletion(new UserDataCompletionConfig().waitFor("pause").pause("soon")),
                        image("ssh").userDataCompletion(new UserDataCompletionConfig()))));
        // a raised instance timeout makes room for a longer pause; a pause needs no user data
        ImageSpec spec = ImageDefinitions.resolve(List.of(new ImageConfig().name("long").communicator("none")
                .source(new SourceConfig().id("ami-0123456789abcdef0")).timeouts(new TimeoutsConfig().instance("30m"))
                .userDataCompletion(new UserDataCompletionConfig().waitFor("pause").pause("20m"))), null, null, project()).get(0);
        assertEquals(Duration.ofMinutes(20), spec.userDataCompletion().pause());
    }

    @Test
    void defaultsFillWhatTheImageLeavesUnset() {
        ImageConfig defaults = new ImageConfig().instanceType("m5.large").tags(Map.of("Team", "platform", "Env", "dev"))
                .ssh(new SshConfig().user("ec2-user").port(2222).allowedCidrs(List.of("10.0.0.0/8")));
        ImageConfig own = new ImageConfig().name("x").source(new SourceConfig().id("ami-0123456789abcdef0"))
                .instanceType("t3.nano").tags(Map.of("Env", "prod")).ssh(new SshConfig().user("admin"));
        ImageSpec spec = ImageDefinitions.resolve(List.of(own), defaults, null, project()).get(0);
        assertEquals("t3.nano", spec.launch().instanceType());
        assertEquals("admin", spec.ssh().user());
        assertEquals(2222, spec.ssh().port());
        assertEquals(Map.of("Team", "platform", "Env", "prod"), spec.tags());
    }

    @Test
    void badValuesNameTheirFieldAndFix() {
        List<ImageConfig> images = new ArrayList<>();
        images.add(image("a").platform("vmware"));
        images.add(image("b").imageName("static-name"));
        images.add(image("c").tags(Map.of("ami:status", "x")));
        images.add(image("d").instanceType("huge"));
        images.add(image("e").provisioners(List.of(new Shell())));
        images.add(image("f").provisioners(List.of(new io.github.amimaven.provision.File().source("nope").destination("relative/path"))));
        List<String> problems = problems(images);
        assertEquals(7, problems.size(), String.join("\n", problems));
        assertTrue(problems.get(0).startsWith("<images>/<image name=a>/<platform> 'vmware' is unknown"));
        assertTrue(problems.get(1).contains("<imageName> 'static-name' has no {timestamp}"));
        assertTrue(problems.get(2).contains("<tags>/<ami:status> uses the plugin's reserved prefix"));
        assertTrue(problems.get(3).contains("<instanceType> 'huge' is not an instance type"));
        assertTrue(problems.get(4).contains("<shell>[1] has neither <inline> nor <script>"));
        assertTrue(problems.get(5).contains("<file>[1]/<source> 'nope' cannot be read"));
        assertTrue(problems.get(6).contains("<file>[1]/<destination> 'relative/path' is not absolute"));
    }

    @Test
    void durationsAreReadAsUsersWriteThem() {
        assertEquals(90, Durations.parseOrNull("90s").toSeconds());
        assertEquals(5400, Durations.parseOrNull("1h30m").toSeconds());
        assertEquals(600, Durations.parseOrNull("PT10M").toSeconds());
        assertEquals(42, Durations.parseOrNull("42").toSeconds());
        assertEquals(null, Durations.parseOrNull("ten minutes"));
    }

    @Test
    void cidrs() {
        assertTrue(Cidrs.isValid("203.0.113.7/32"));
        assertTrue(Cidrs.isValid("0.0.0.0/0"));
        assertTrue(Cidrs.isValid("2001:db8::/32"));
        assertTrue(!Cidrs.isValid("256.0.0.1/32"));
        assertTrue(!Cidrs.isValid("10.0.0.0/33"));
        assertTrue(!Cidrs.isValid("10.0.0.0"));
    }
}
