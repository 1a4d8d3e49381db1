package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.W;
import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static io.github.amimaven.mojo.HostileInputTest.validateMojo;
import static io.github.amimaven.testing.PomBinder.bind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.HostileInput;

/**
 * Input that {@code validate} once passed and that failed only after the release (a copy to a region that does not
 * exist) or went silently wrong (a setting dropped, an {@code env.properties} line lost, SSH open to the world):
 * each refused, or warned about, before any image is built.
 */
class HostileDeployTargetsTest {

    static final String BUILD_REGION = "<region>ap-southeast-2</region>";
    static final String D = W + "/<deploy>";
    static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @TempDir
    static Path basedir;

    @BeforeAll
    static void project() {
        HostileInputTest.basedir = basedir;
    }

    static String sshFrom(String cidrs) {
        return "<ssh><user>centos</user><allowedCidrs>" + cidrs + "</allowedCidrs></ssh>";
    }

    static String deploy(String inner) {
        return image("<name>web</name><deploy>" + inner + "</deploy>");
    }

    /** A local image with what it needs, plus {@code inner}. */
    static String local(String inner) {
        return image("<platform>local</platform><source><path>disk.qcow2</path></source>"
                + (inner.contains("<ssh>") ? "" : "<ssh><user>debian</user></ssh>") + inner);
    }

    static Stream<Arguments> cases() {
        String ec2Only = " is EC2-only, and the image's <platform> is local, which would ignore it";
        return Stream.of(
                arguments("deploy region that does not exist", images(deploy("<regions><region>us-mars-1</region></regions>")),
                        D + "/<regions>/<region>[1] 'us-mars-1' is not an AWS region"),
                arguments("account copy region that does not exist", images(deploy("<copyToAccounts><account>"
                        + "<roleArn>arn:aws:iam::777788889999:role/x</roleArn><regions>us-mars-1</regions></account>"
                        + "</copyToAccounts>")),
                        D + "/<copyToAccounts>/<account>[1]/<regions> 'us-mars-1' is not an AWS region"),
                arguments("launch template region that does not exist", images(deploy("<launchTemplates><launchTemplate>"
                        + "<name>web</name><region>us-mars-1</region></launchTemplate></launchTemplates>")),
                        D + "/<launchTemplates>/<launchTemplate>[1]/<region> 'us-mars-1' is not an AWS region"),
                arguments("hierarchical SSM name without a leading slash",
                        images(deploy("<ssmParameters><parameter>ami/{name}/latest</parameter></ssmParameters>")),
                        D + "/<ssmParameters>/<parameter>[1] 'ami/{name}/latest' is a path without a leading /, which AWS"
                                + " refuses: start it with /, e.g. /ami/{name}/latest"),
                arguments("KMS key of another region", images(deploy("<regions><region><name>us-east-1</name><kmsKeyId>"
                        + KEY_ARN + "</kmsKeyId></region></regions>")),
                        D + "/<regions>/<region>[1]/<kmsKeyId> '" + KEY_ARN + "' is a key of eu-west-1, but this copy goes"
                                + " to us-east-1: give a key of us-east-1"),
                arguments("KMS key on the build region", images(deploy("<regions><region><name>ap-southeast-2</name>"
                        + "<kmsKeyId>alias/images</kmsKeyId></region></regions>")),
                        D + "/<regions>/<region>[1]/<kmsKeyId> is set on the build region ap-southeast-2, whose image is the"
                                + " built one and is not copied there, so it would be ignored: remove it; to encrypt the"
                                + " image in the build region, turn on EBS encryption by default"),
                arguments("encryption of the build region", images(deploy("<regions><region>us-east-1</region>"
                        + "<region><name>ap-southeast-2</name><encrypted>true</encrypted></region></regions>")),
                        D + "/<regions>/<region>[2]/<encrypted> is set on the build region ap-southeast-2"),
                arguments("names differing in case", images(image("<name>Web</name>"), image("<name>web</name>")),
                        W + "/<name> 'web' and 'Web' have the same key IMAGE_ID_WEB in target/ami/env.properties: rename one"),
                arguments("names differing in punctuation", images(image("<name>web-1</name>"), image("<name>web.1</name>")),
                        "<images>/<image name=web.1>/<name> 'web.1' and 'web-1' have the same key IMAGE_ID_WEB_1"),
                arguments("instance type on a local image", images(local("<instanceType>t3.micro</instanceType>")),
                        W + "/<instanceType>" + ec2Only + ": size the VMs with <local><memory> and <local><cpus>"),
                arguments("subnet on a local image", images(local("<subnetId>subnet-0123456789abcdef0</subnetId>")),
                        W + "/<subnetId>" + ec2Only),
                arguments("instance profile on a local image", images(local("<iamInstanceProfile>builder</iamInstanceProfile>")),
                        W + "/<iamInstanceProfile>" + ec2Only),
                arguments("security groups on a local image",
                        images(local("<securityGroupIds>sg-0123456789abcdef0</securityGroupIds>")),
                        W + "/<securityGroupIds>" + ec2Only),
                arguments("volume type on a local image", images(local("<rootVolume><size>20</size><type>gp3</type></rootVolume>")),
                        W + "/<rootVolume>/<type>" + ec2Only),
                arguments("IMDS setting on a local image", images(local("<requireImdsV2>false</requireImdsV2>")),
                        W + "/<requireImdsV2>" + ec2Only),
                arguments("public address on a local image", images(local("<associatePublicIp>true</associatePublicIp>")),
                        W + "/<associatePublicIp>" + ec2Only),
                arguments("allowed CIDRs on a local image",
                        images(local("<ssh><user>debian</user><allowedCidrs>203.0.113.7/32</allowedCidrs></ssh>")),
                        W + "/<ssh>/<allowedCidrs> is for the ec2 platform's temporary security group"),
                arguments("instance type of no family", images(image("<instanceType>t33.micro</instanceType>")),
                        W + "/<instanceType> 't33.micro' is not of an EC2 instance family (t33 is unknown): did you mean"
                                + " t3.micro?"),
                arguments("instance type of no family near none", images(image("<instanceType>quantum-9000.huge</instanceType>")),
                        W + "/<instanceType> 'quantum-9000.huge' is not of an EC2 instance family (quantum-9000 is unknown):"
                                + " write a type such as t3.micro"),
                arguments("IPv6 CIDR with three colons", images(image(sshFrom("1:::2/64"))),
                        W + "/<ssh>/<allowedCidrs> '1:::2/64' is not a CIDR"),
                arguments("IPv6 CIDR with nine groups", images(image(sshFrom("1:2:3:4:5:6:7:8:9/64"))),
                        W + "/<ssh>/<allowedCidrs> '1:2:3:4:5:6:7:8:9/64' is not a CIDR"),
                arguments("IPv6 CIDR with an IPv4 tail", images(image(sshFrom("::ffff:192.0.2.0/120"))),
                        W + "/<ssh>/<allowedCidrs> '::ffff:192.0.2.0/120' is not a CIDR"),
                arguments("IPv6 CIDR with a group too long", images(image(sshFrom("2001:db8::12345/64"))),
                        W + "/<ssh>/<allowedCidrs> '2001:db8::12345/64' is not a CIDR"));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedByValidateNamingTheField(String name, String configuration, String expected) throws Exception {
        ValidateMojo mojo = validateMojo(BUILD_REGION + configuration);
        String message = assertThrows(MojoFailureException.class, mojo::definitions).getMessage();
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                arguments("copies to regions of the SDK's list, with their own keys", BUILD_REGION + images(deploy(
                        "<regions><region>ap-southeast-2</region><region>us-gov-west-1</region><region><name>eu-west-1</name>"
                                + "<kmsKeyId>" + KEY_ARN + "</kmsKeyId></region></regions>"
                                + "<ssmParameters><parameter>latest-web</parameter><parameter>/ami/{name}</parameter>"
                                + "</ssmParameters>"))),
                arguments("any region code with a custom endpoint, whose regions are its own",
                        BUILD_REGION + "<endpoint>http://127.0.0.1:4566</endpoint>"
                                + images(deploy("<regions><region>us-mars-1</region></regions>"))),
                arguments("a size the SDK does not list of a family it does", BUILD_REGION
                        + images(image("<instanceType>m7i.mega</instanceType>"))),
                arguments("IPv6 CIDRs", BUILD_REGION + images(image(
                        sshFrom("2001:db8::/32,::/0,1:2:3:4:5:6:7:8/128")))),
                arguments("a local image with a root volume size and user data", BUILD_REGION
                        + images(local("<rootVolume><size>20</size></rootVolume><userData>#cloud-config</userData>"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void isValid(String name, String configuration) throws Exception {
        assertEquals(1, validateMojo(configuration).definitions().specs().size());
    }

    @HostileInput
    @Test
    void sshOpenToTheWorldIsWarnedAboutLoudly() throws Exception {
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
        bind(mojo, BUILD_REGION + "<roleArn>arn:aws:iam::123456789012:role/builder</roleArn>"
                + images(image(sshFrom("0.0.0.0/0")), image("<name>db</name>" + sshFrom("203.0.113.7/32,::/0")),
                        image("<name>cache</name>")));
        mojo.execute();
        assertEquals(List.of(
                "WARN image web: <ssh><allowedCidrs> 0.0.0.0/0 opens the builder's SSH port 22 to the WHOLE INTERNET while it"
                        + " runs; unless you mean it, list only the build machine's addresses, e.g. 203.0.113.7/32",
                "WARN image db: <ssh><allowedCidrs> ::/0 opens the builder's SSH port 22 to the WHOLE INTERNET while it"
                        + " runs; unless you mean it, list only the build machine's addresses, e.g. 203.0.113.7/32"),
                log.lines().stream().filter(l -> l.startsWith("WARN")).toList());
    }
}
