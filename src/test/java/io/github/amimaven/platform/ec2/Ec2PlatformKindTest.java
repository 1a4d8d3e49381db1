package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.platform.ImageSettings;
import io.github.amimaven.platform.OrphanLocation;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.validation.Problems;

/** EC2's rules for the goal's parameters and an image's settings, with the messages the user reads. */
class Ec2PlatformKindTest {

    static final String AT = "<images>/<image name=web>";

    final Ec2PlatformKind ec2 = new Ec2PlatformKind();
    final List<String> problems = new ArrayList<>();
    final Problems sink = (path, problem, fix) -> problems.add(path + " " + problem + ": " + fix);

    static PlatformParameters parameters() {
        return new PlatformParameters(Path.of("/project")).with("maxAttempts", 10);
    }

    static LaunchOptions launch(String instanceType, List<String> securityGroups, String userData) {
        return new LaunchOptions(instanceType, null, securityGroups, null, null, null, userData, true, null);
    }

    static SshAccess ssh(List<String> cidrs, boolean strict) {
        return new SshAccess("centos", 22, SshAccess.AddressType.AUTO, Duration.ofMinutes(5), null, null, cidrs, null,
                strict);
    }

    @Test
    void itsParametersAreCheckedOnlyWhenAnImageIsBuiltOnIt() {
        PlatformParameters wrong = parameters().with("region", "mars-1").with("endpoint", "ftp://ec2.example.com")
                .with("roleArn", "admin");
        ec2.checkParameters(wrong, false, sink);
        assertEquals(List.of(), problems);
        ec2.checkParameters(wrong, true, sink);
        assertEquals(List.of("<region> 'mars-1' is not a region code: use a region code such as us-east-1",
                "<endpoint> 'ftp://ec2.example.com' is not an http(s) URL: write e.g. https://ec2.us-east-1.amazonaws.com",
                "<roleArn> 'admin' is not a role ARN: write arn:aws:iam::123456789012:role/name"), problems);
    }

    @Test
    void theRegionIsOneOfAwsUnlessAnotherEndpointAnswers() {
        ec2.checkParameters(parameters(), true, sink);
        ec2.checkParameters(parameters().with("region", "xx-nowhere-9"), true, sink);
        ec2.checkParameters(parameters().with("region", "xx-nowhere-9").with("endpoint", "http://127.0.0.1:9"), true, sink);
        ec2.checkParameters(parameters().with("region", "us-gov-west-1"), true, sink);
        assertEquals(List.of("<region> is missing: set <region>ap-southeast-2</region> (or -Dami.region=…) for EC2 images",
                "<region> 'xx-nowhere-9' is not an AWS region: use a region code such as us-east-1 or ap-southeast-2"),
                problems);
    }

    @Test
    void aSourceIsAnAmiOfKnownOwners() {
        ec2.checkSource("ami-12345", List.of("someone", "self", " 123456789012 "), "disk.qcow2", AT + "/<source>", sink);
        ec2.checkSource("ami-0123456789abcdef0", List.of("amazon"), null, AT + "/<source>", sink);
        assertEquals(List.of(
                AT + "/<source>/<id> 'ami-12345' is not an image id: write ami- and 8 or 17 hex digits, e.g. ami-0123456789abcdef0",
                AT + "/<source>/<owners> 'someone' is not an owner: write 12-digit account ids, or self, amazon, aws-marketplace",
                AT + "/<source>/<path> is for the local platform: give an <id> or <name> of an AMI instead"), problems);
    }

    @Test
    void launchSettingsKeepEc2sRules() {
        LaunchOptions wrong = new LaunchOptions("huge", "subnet-zz", List.of("default"), "not a profile!", 8, "gp9",
                "x".repeat(16 * 1024 + 1), true, null);
        ec2.checkImage(new ImageSettings(false, wrong, ssh(List.of("203.0.113.7/32"), false)), AT, sink);
        assertEquals(List.of(
                AT + "/<securityGroupIds> 'default' is not a security group id: write ids such as sg-0123456789abcdef0",
                AT + "/<instanceType> 'huge' is not an instance type: write e.g. t3.micro",
                AT + "/<subnetId> 'subnet-zz' is not a subnet id: write e.g. subnet-0123456789abcdef0",
                AT + "/<iamInstanceProfile> 'not a profile!' is not an instance profile name or ARN: write a name such as"
                        + " image-builder, or arn:aws:iam::123456789012:instance-profile/image-builder",
                AT + "/<rootVolume>/<type> 'gp9' is unknown: use one of [gp2, gp3, io1, io2, st1, sc1, standard]",
                AT + "/<userData> is larger than EC2's 16 KiB limit: move the work into a provisioner or fetch it from"
                        + " user data"), problems);
        problems.clear();
        LaunchOptions right = new LaunchOptions("m7i-flex.large", "subnet-0123456789abcdef0", List.of(),
                "arn:aws:iam::123456789012:instance-profile/image-builder", 8, "gp3", "x".repeat(16 * 1024), true, null);
        ec2.checkImage(new ImageSettings(true, right, ssh(List.of("203.0.113.7/32"), true)), AT, sink);
        assertEquals(List.of(), problems, "Windows and strict host keys are EC2's");
        assertEquals("t3.micro", ec2.defaultMachineType());
    }

    @Test
    void sshIsOpenedToNobodyByDefaultUnlessTheUsersOwnGroupsAdmitIt() {
        ec2.checkImage(new ImageSettings(false, launch("t3.micro", List.of(), null), ssh(List.of(), false)), AT, sink);
        assertEquals(List.of(AT + "/<ssh>/<allowedCidrs> is empty, so nobody could reach the builder over SSH: list the"
                + " build machine's addresses, e.g. <allowedCidrs><cidr>203.0.113.7/32</cidr></allowedCidrs>, or attach"
                + " your own <securityGroupIds> or <securityGroupFilter>"), problems);
        problems.clear();
        ec2.checkImage(new ImageSettings(false, launch("t3.micro", List.of("sg-0123456789abcdef0"), null),
                ssh(List.of(), false)), AT, sink);
        ec2.checkImage(new ImageSettings(false, launch("t3.micro", List.of(), null), null), AT, sink);
        assertEquals(List.of(), problems, "own groups, or no SSH");
    }

    @Test
    void everyReleaseIsPossible() {
        ec2.checkRelease(ReleaseSpec.Promotion.COPY, List.of("regions", "shareWith", "ssmParameters"), AT + "/<deploy>", sink);
        assertEquals(List.of(), problems);
    }

    @Test
    void orphansAreLookedForInTheBuildRegionWhenUsedAndInEveryRegionAsked() {
        PlatformParameters p = parameters().with("region", "eu-west-1").with("regions", "us-east-1, eu-west-1,,us-west-2");
        assertEquals(List.of(new OrphanLocation("ec2", "eu-west-1", "ec2 eu-west-1"),
                new OrphanLocation("ec2", "us-east-1", "ec2 us-east-1"), new OrphanLocation("ec2", "us-west-2", "ec2 us-west-2")),
                ec2.orphanLocations(p, true, sink));
        assertEquals(List.of("us-east-1", "eu-west-1", "us-west-2"),
                ec2.orphanLocations(p, false, sink).stream().map(OrphanLocation::place).toList());
        assertEquals(List.of(), ec2.orphanLocations(parameters(), true, sink), "no region: nowhere");
        assertEquals(List.of(), problems);
        ec2.orphanLocations(parameters().with("region", "mars-1").with("regions", "xx-nowhere-9"), true, sink);
        assertEquals(List.of("<region> 'mars-1' is not a region code: use a region code such as us-east-1",
                "-Dami.regions 'xx-nowhere-9' is not an AWS region: use a region code such as us-east-1 or ap-southeast-2"),
                problems);
        assertEquals("set <region> (-Dami.region) or -Dami.regions=us-east-1,eu-west-1", ec2.orphanLocationHint());
    }

    @Test
    void theClientsHomeIsTheBuildRegionElseTheFirstRegionSwept() {
        PlatformParameters p = parameters().with("profile", "builder").with("roleArn", "arn:aws:iam::123456789012:role/b")
                .with("endpoint", "http://127.0.0.1:9").with("maxAttempts", 3);
        assertEquals(new Ec2Settings("eu-west-1", "builder", "arn:aws:iam::123456789012:role/b",
                URI.create("http://127.0.0.1:9"), 3), Ec2PlatformKind.settings(p.with("region", "eu-west-1")
                        .with("regions", "us-east-1")));
        assertEquals("us-east-1", Ec2PlatformKind.settings(p.with("regions", " , us-east-1 ,us-west-2")).region());
        assertEquals(null, Ec2PlatformKind.settings(p).region());
    }
}
