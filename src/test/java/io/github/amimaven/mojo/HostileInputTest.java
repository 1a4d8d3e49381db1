package io.github.amimaven.mojo;

import static io.github.amimaven.testing.PomBinder.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.apache.maven.plugin.MojoFailureException;

import io.github.amimaven.testing.HostileInput;
import io.github.amimaven.testing.PomBinder;

/**
 * Hostile and mistaken input, each refused by the validate goal's check (Maven's own configurator, then
 * {@code definitions()}), before any cloud call, with a message naming the POM path of the field.
 */
class HostileInputTest {

    @TempDir
    static Path basedir;

    @BeforeAll
    static void projectFiles() throws Exception {
        Files.createDirectories(basedir.resolve("scripts"));
        Files.writeString(basedir.resolve("scripts/ok.sh"), "#!/bin/sh\necho ok\n");
        // "echo caf\u00e9" saved as ISO-8859-1: the byte 0xE9 is not UTF-8
        Files.write(basedir.resolve("scripts/latin1.sh"), new byte[] {'e', 'c', 'h', 'o', ' ', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        Files.write(basedir.resolve("scripts/binary.sh"), new byte[] {'#', '!', 0, 1, 2});
        Files.createDirectories(basedir.resolve("files"));
        Files.writeString(basedir.resolve("files/motd"), "hello\n");
        Files.createDirectories(basedir.resolve("ansible"));
        Files.writeString(basedir.resolve("ansible/site.yml"), "- hosts: all\n");
    }

    /** An {@code <image>} with a valid name, source and SSH section unless the case gives its own. */
    static String image(String inner) {
        StringBuilder b = new StringBuilder("<image>");
        if (!inner.contains("<name>") && !inner.contains("<name/>")) {
            b.append("<name>web</name>");
        }
        if (!inner.contains("<source>")) {
            b.append("<source><id>ami-0123456789abcdef0</id></source>");
        }
        if (!inner.contains("<ssh>")) {
            b.append("<ssh><user>centos</user><allowedCidrs>203.0.113.7/32</allowedCidrs></ssh>");
        }
        return b.append(inner).append("</image>").toString();
    }

    static String images(String... images) {
        return "<images>" + String.join("", images) + "</images>";
    }

    static String ssh(String inner) {
        return "<ssh><user>centos</user><allowedCidrs>203.0.113.7/32</allowedCidrs>" + inner + "</ssh>";
    }

    static String shell(String inner) {
        return "<provisioners><shell>" + inner + "</shell></provisioners>";
    }

    static String check(String check) {
        return "<verifiers><command><checks>" + check + "</checks></command></verifiers>";
    }

    static String tags(int count) {
        return "<tags>" + IntStream.range(0, count).mapToObj(i -> "<K" + i + ">v</K" + i + ">").collect(Collectors.joining()) + "</tags>";
    }

    static final String W = "<images>/<image name=web>";

    static Stream<Arguments> cases() {
        String huge = "echo " + "x".repeat(70 * 1024);
        return Stream.of(
                arguments("no images", "<images/>", "<images> is empty"),
                arguments("missing name", images(image("<name/>")), "<images>/<image>[1]/<name> is missing"),
                arguments("duplicate names", images(image(""), image("")), W + "/<name> 'web' is used by two images"),
                arguments("name with spaces", images(image("<name>web server!</name>")),
                        "<images>/<image name=web server!>/<name> 'web server!' is not a valid image name"),
                arguments("unknown platform", images(image("<platform>vmware</platform>")), W + "/<platform> 'vmware' is unknown"),
                arguments("bad CIDR", images(image("<ssh><user>u</user><allowedCidrs>10.0.0.0/33</allowedCidrs></ssh>")),
                        W + "/<ssh>/<allowedCidrs> '10.0.0.0/33' is not a CIDR"),
                arguments("host name as CIDR", images(image("<ssh><user>u</user><allowedCidrs>example.com/32</allowedCidrs></ssh>")),
                        W + "/<ssh>/<allowedCidrs> 'example.com/32' is not a CIDR"),
                arguments("no CIDRs", images(image("<ssh><user>u</user></ssh>")), W + "/<ssh>/<allowedCidrs> is empty"),
                arguments("too many CIDRs", images(image("<ssh><user>u</user><allowedCidrs>" + IntStream.range(0, 51)
                        .mapToObj(i -> "10.0." + i + ".0/24").collect(Collectors.joining(",")) + "</allowedCidrs></ssh>")),
                        W + "/<ssh>/<allowedCidrs> has 51 CIDRs"),
                arguments("unknown provisioner", images(image("<provisioners><chef/></provisioners>")),
                        "<images>/<image>[1]/<provisioners> has an unknown provisioner <chef>"),
                arguments("unknown verifier", images(image("<verifiers><goss/></verifiers>")),
                        "<images>/<image>[1]/<verifiers> has an unknown verifier <goss>"),
                arguments("file provisioner among the checks", images(image("<verifiers><command><checks><file>"
                        + "<path>/etc/motd</path></file></checks></command></verifiers>")),
                        "<images>/<image>[1]/<verifiers>/<command>[1]/<checks> has an unknown check <file>: use one of"
                                + " <run>, <fileCheck>, <packageInstalled>, <service>, <port>"),
                arguments("unknown element", images(image("<instancetype>t3.micro</instancetype>")),
                        "unknown element <instancetype> in <image>/<defaults>. Did you mean <instanceType>?"),
                arguments("file source out of the project", images(image("<provisioners><file><source>../../etc/passwd</source>"
                        + "<destination>/tmp/p</destination></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<source> '../../etc/passwd' leads out of the project directory"),
                arguments("file destination with ..", images(image("<provisioners><file><source>files/motd</source>"
                        + "<destination>/tmp/../etc/shadow</destination></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<destination> '/tmp/../etc/shadow' has '..' segments"),
                arguments("relative file destination", images(image("<provisioners><file><source>files/motd</source>"
                        + "<destination>etc/motd</destination></file></provisioners>")),
                        W + "/<provisioners>/<file>[1]/<destination> 'etc/motd' is not absolute"),
                arguments("provisioner timeout not a duration", images(image(shell("<inline><line>true</line></inline><timeout>forever</timeout>"))),
                        W + "/<provisioners>/<shell>[1]/<timeout> 'forever'"),
                arguments("provisioner timeout too short", images(image(shell("<inline><line>true</line></inline><timeout>0s</timeout>"))),
                        W + "/<provisioners>/<shell>[1]/<timeout>"),
                arguments("verifier timeout not a duration",
                        images(image("<verifiers><command><timeout>soon</timeout><checks><port>22</port></checks></command></verifiers>")),
                        W + "/<verifiers>/<command>[1]/<timeout> 'soon'"),
                arguments("script out of the project", images(image(shell("<script>../../../bin/sh</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> '../../../bin/sh' leads out of the project directory"),
                arguments("ansible playbook out of the project", images(image("<provisioners><ansible><playbook>../site.yml"
                        + "</playbook></ansible></provisioners>")),
                        W + "/<provisioners>/<ansible>[1]/<playbook> '../site.yml' leads out of the project directory"),
                arguments("script not UTF-8", images(image(shell("<script>scripts/latin1.sh</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> 'scripts/latin1.sh' is not UTF-8 (byte 0xE9 at offset 8)"),
                arguments("binary script", images(image(shell("<script>scripts/binary.sh</script>"))),
                        W + "/<provisioners>/<shell>[1]/<script> 'scripts/binary.sh' holds NUL bytes"),
                arguments("huge inline script", images(image(shell("<inline><line>" + huge + "</line></inline>"))),
                        W + "/<provisioners>/<shell>[1]/<inline> is 70 KiB, more than 64 KiB belongs in a POM"),
                arguments("empty commands", images(image(shell("<inline><line> </line></inline>"))),
                        W + "/<provisioners>/<shell>[1]/<inline> has only empty lines"),
                arguments("empty check command", images(image(check("<run><command> </command></run>"))),
                        W + "/<verifiers>/<command>[1]/<checks>/<run>[1]/<command> is missing"),
                arguments("zero timeout", images(image("<timeouts><instance>0</instance></timeouts>")),
                        W + "/<timeouts>/<instance> '0' is out of range: choose between 10s and 1d"),
                arguments("negative timeout", images(image("<timeouts><image>-5m</image></timeouts>")),
                        W + "/<timeouts>/<image> '-5m' is not a duration"),
                arguments("absurd copy timeout", images(image("<timeouts><copy>100h</copy></timeouts>")),
                        W + "/<timeouts>/<copy> '100h' is out of range: choose between 1m and 2d"),
                arguments("absurd ssh timeout", images(image(ssh("<timeout>10h</timeout>"))),
                        W + "/<ssh>/<timeout> '10h' is out of range"),
                arguments("unreadable test timeout", images(image("<timeouts><test>soon</test></timeouts>")),
                        W + "/<timeouts>/<test> 'soon' is not a duration"),
                arguments("two ssh timeouts", images(image(ssh("<timeout>1m</timeout>") + "<timeouts><ssh>2m</ssh></timeouts>")),
                        W + "/<timeouts>/<ssh> is set together with <ssh>/<timeout>"),
                arguments("malformed region", "<region>mars-1</region>" + images(image("")), "<region> 'mars-1' is not a region code"),
                arguments("unknown region", "<region>xx-nowhere-9</region>" + images(image("")),
                        "<region> 'xx-nowhere-9' is not an AWS region"),
                arguments("no region", "<region/>" + images(image("")), "<region> is missing"),
                arguments("aws: tag", images(image("<tags><aws:cost>1</aws:cost></tags>")), W + "/<tags>/<aws:cost> is not a valid tag key"),
                arguments("ami: tag", images(image("<tags><ami:status>x</ami:status></tags>")),
                        W + "/<tags>/<ami:status> uses the plugin's reserved prefix ami:"),
                arguments("tag key over 128", images(image("<tags><" + "k".repeat(129) + ">v</" + "k".repeat(129) + "></tags>")),
                        W + "/<tags>/<" + "k".repeat(129) + "> is not a valid tag key"),
                arguments("tag value over 256", images(image("<tags><Team>" + "v".repeat(257) + "</Team></tags>")),
                        W + "/<tags>/<Team> has a value longer than 256 characters"),
                arguments("tag value with a semicolon", images(image("<tags><Team>a;b</Team></tags>")),
                        W + "/<tags>/<Team> has a value with characters EC2 does not take"),
                arguments("too many tags", images(image(tags(41))), W + "/<tags> has 41 tags: keep 40 or fewer"),
                arguments("bad instance type", images(image("<instanceType>huge</instanceType>")),
                        W + "/<instanceType> 'huge' is not an instance type"),
                arguments("short AMI id", images(image("<source><id>ami-12345</id></source>")),
                        W + "/<source>/<id> 'ami-12345' is not an image id"),
                arguments("AMI id with capitals", images(image("<source><id>ami-0123456789ABCDEF0</id></source>")),
                        W + "/<source>/<id> 'ami-0123456789ABCDEF0' is not an image id"),
                arguments("bad owner", images(image("<name>web</name><source><owners>someone</owners><name>x*</name></source>")),
                        W + "/<source>/<owners> 'someone' is not an owner"),
                arguments("bad SSH port", images(image(ssh("<port>70000</port>"))), W + "/<ssh>/<port> is 70000"),
                arguments("bad check port", images(image(check("<port>0</port>"))),
                        W + "/<verifiers>/<command>[1]/<checks>/<port>[1] '0' is not a TCP port"),
                arguments("invalid regex", images(image(check("<run><command>id</command><stdout>([</stdout></run>"))),
                        W + "/<verifiers>/<command>[1]/<checks>/<run>[1]/<stdout> '([' is not a valid regular expression"),
                arguments("zero volume size", images(image("<rootVolume><size>0</size></rootVolume>")), W + "/<rootVolume>/<size> is 0"),
                arguments("huge volume size", images(image("<rootVolume><size>99999</size></rootVolume>")),
                        W + "/<rootVolume>/<size> is 99999"),
                arguments("bad volume type", images(image("<rootVolume><type>gp9</type></rootVolume>")),
                        W + "/<rootVolume>/<type> 'gp9' is unknown"),
                arguments("bad subnet", images(image("<subnetId>subnet-zz</subnetId>")), W + "/<subnetId> 'subnet-zz' is not a subnet id"),
                arguments("bad security group", images(image("<securityGroupIds>default</securityGroupIds>")),
                        W + "/<securityGroupIds> 'default' is not a security group id"),
                arguments("user data over 16 KiB", images(image("<userData>" + "x".repeat(17 * 1024) + "</userData>")),
                        W + "/<userData> is larger than EC2's 16 KiB limit"),
                arguments("image name without time", images(image("<imageName>fixed-name</imageName>")),
                        W + "/<imageName> 'fixed-name' has no {timestamp}"),
                arguments("login name with a command", images(image("<ssh><user>root; rm -rf /</user><allowedCidrs>203.0.113.7/32"
                        + "</allowedCidrs></ssh>")), W + "/<ssh>/<user> 'root; rm -rf /' is not a login name"),
                arguments("bad bastion port", images(image(ssh("<bastion><host>jump.example.com</host><user>ec2-user</user>"
                        + "<port>0</port></bastion>"))), W + "/<ssh>/<bastion>/<port> is 0"),
                arguments("bad instance profile", images(image("<iamInstanceProfile>not a profile!</iamInstanceProfile>")),
                        W + "/<iamInstanceProfile> 'not a profile!' is not an instance profile name or ARN"),
                arguments("bad variable name", images(image(shell("<inline><line>true</line></inline><env><BAD-NAME>x</BAD-NAME></env>"))),
                        W + "/<provisioners>/<shell>[1]/<env>/<BAD-NAME> is not a valid variable name"),
                arguments("secret too short to mask", images(image(shell("<inline><line>true</line></inline>"
                        + "<secretEnv><PIN>123</PIN></secretEnv>"))),
                        W + "/<provisioners>/<shell>[1]/<secretEnv>/<PIN> is shorter than 4 characters"),
                arguments("bad exit code", images(image(shell("<inline><line>true</line></inline><validExitCodes><code>300</code>"
                        + "</validExitCodes>"))), W + "/<provisioners>/<shell>[1]/<validExitCodes> contains 300"),
                arguments("ansible argument that would carry values", images(image("<provisioners><ansible><playbook>ansible/site.yml"
                        + "</playbook><extraArguments><argument>-e</argument></extraArguments></ansible></provisioners>")),
                        W + "/<provisioners>/<ansible>[1]/<extraArguments> contains -e"),
                arguments("provisioners without SSH", images(image("<communicator>none</communicator>" + shell("<inline><line>true"
                        + "</line></inline>"))), W + "/<provisioners> needs SSH but <communicator> is none"),
                arguments("description over 255", images(image("<description>" + "d".repeat(300) + "</description>")),
                        W + "/<description> has 300 characters"),
                arguments("zero threads", "<threads>0</threads>" + images(image("")), "<threads> is 0"),
                arguments("resource lifetime not a duration", "<resourceLifetime>soon</resourceLifetime>" + images(image("")),
                        "<resourceLifetime> 'soon' is not a duration"),
                arguments("resource lifetime shorter than a build", "<resourceLifetime>30s</resourceLifetime>" + images(image("")),
                        "<resourceLifetime> '30s' is out of range"),
                arguments("endpoint not http", "<endpoint>ftp://ec2.example.com</endpoint>" + images(image("")),
                        "<endpoint> 'ftp://ec2.example.com' is not an http(s) URL"),
                arguments("bad role ARN", "<roleArn>admin</roleArn>" + images(image("")), "<roleArn> 'admin' is not a role ARN"));
    }

    @Test
    void theBaseEveryCaseBreaksIsValid() throws Exception {
        ValidateMojo mojo = validateMojo("<region>ap-southeast-2</region>" + images(image(""),
                image("<name>db</name>" + shell("<script>scripts/ok.sh</script>") + check("<port>22</port>"))));
        assertEquals(2, mojo.definitions().specs().size());
    }

    static ValidateMojo validateMojo(String config) throws Exception {
        ValidateMojo mojo = new ValidateMojo();
        mojo.project = project();
        mojo.threads = 4;
        mojo.maxAttempts = 10;
        bind(mojo, config);
        return mojo;
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedByValidateNamingTheField(String name, String configuration, String expected) throws Exception {
        String config = configuration.contains("<region") ? configuration : "<region>ap-southeast-2</region>" + configuration;
        String message;
        try {
            ValidateMojo mojo = validateMojo(config);
            message = assertThrows(MojoFailureException.class, mojo::definitions).getMessage();
        } catch (ComponentConfigurationException e) {
            // Maven fails configuring the validate goal, before it runs
            message = e.getMessage();
        }
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    static MavenProject project() {
        return PomBinder.project(basedir);
    }
}
