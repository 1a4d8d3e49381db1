package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.W;
import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static io.github.amimaven.mojo.HostileInputTest.validateMojo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.Volume;
import io.github.amimaven.testing.HostileInput;

/**
 * Launch settings a Packer user brings along (run tags, root volume performance and encryption, extra volumes, a
 * subnet and security groups by filter) that EC2 would refuse, or that a local image would ignore: each refused by
 * {@code validate}, naming the field.
 */
class HostileLaunchOptionsTest {

    static final String KEY_ARN = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @TempDir
    static Path basedir;

    @BeforeAll
    static void project() {
        HostileInputTest.basedir = basedir;
    }

    /** An EC2 image named web with {@code inner}, whose filters' {@code <name>} must not pass for the image's. */
    static String ec2(String inner) {
        return image("<name>web</name>" + inner);
    }

    static String local(String inner) {
        return ec2("<platform>local</platform><source><path>disk.qcow2</path></source><ssh><user>debian</user></ssh>" + inner);
    }

    static Stream<Arguments> cases() {
        String ec2Only = " is EC2-only, and the image's <platform> is local, which would ignore it";
        return Stream.of(
                arguments("run tag with the plugin's prefix", images(ec2("<runTags><ami:role>x</ami:role></runTags>")),
                        W + "/<runTags>/<ami:role> uses the plugin's reserved prefix ami:"),
                arguments("run tag value EC2 does not take", images(ec2("<runTags><Owner>a;b</Owner></runTags>")),
                        W + "/<runTags>/<Owner> has a value with characters EC2 does not take"),
                arguments("IOPS on a gp2 root volume", images(ec2("<rootVolume><type>gp2</type><iops>3000</iops></rootVolume>")),
                        W + "/<rootVolume>/<iops> is set for a volume of type gp2, which takes no provisioned IOPS"),
                arguments("IOPS on a root volume of the source image's type",
                        images(ec2("<rootVolume><iops>3000</iops></rootVolume>")),
                        W + "/<rootVolume>/<iops> is set for a volume without <type>"),
                arguments("throughput on an io2 root volume",
                        images(ec2("<rootVolume><type>io2</type><iops>3000</iops><throughput>500</throughput></rootVolume>")),
                        W + "/<rootVolume>/<throughput> is set for a volume of type io2, but only gp3 takes a throughput"),
                arguments("throughput beyond EBS's", images(ec2("<rootVolume><type>gp3</type><throughput>5000</throughput></rootVolume>")),
                        W + "/<rootVolume>/<throughput> is 5000: give MiB/s from 125 to 2000"),
                arguments("IOPS below EBS's", images(ec2("<rootVolume><type>io1</type><iops>10</iops></rootVolume>")),
                        W + "/<rootVolume>/<iops> is 10: give IOPS from 100 to 256000"),
                arguments("io1 volume without IOPS", images(ec2("<launchVolumes><volume><deviceName>/dev/sdf</deviceName>"
                        + "<size>10</size><type>io1</type></volume></launchVolumes>")),
                        W + "/<launchVolumes>/<volume>[1]/<iops> is missing, and a volume of type io1 needs it"),
                arguments("KMS key that is not one", images(ec2("<rootVolume><encrypted>true</encrypted>"
                        + "<kmsKeyId>my key</kmsKeyId></rootVolume>")),
                        W + "/<rootVolume>/<kmsKeyId> 'my key' is not a KMS key"),
                arguments("KMS key on a volume said not to be encrypted", images(ec2("<rootVolume><encrypted>false</encrypted>"
                        + "<kmsKeyId>" + KEY_ARN + "</kmsKeyId></rootVolume>")),
                        W + "/<rootVolume>/<encrypted> is false but <kmsKeyId> is set"),
                arguments("launch volume without a device", images(ec2("<launchVolumes><volume><size>10</size></volume>"
                        + "</launchVolumes>")),
                        W + "/<launchVolumes>/<volume>[1]/<deviceName> is missing"),
                arguments("launch volume of no size", images(ec2("<launchVolumes><volume><deviceName>/dev/sdf</deviceName>"
                        + "</volume></launchVolumes>")),
                        W + "/<launchVolumes>/<volume>[1]/<size> is missing: give a size in GiB, or a <snapshotId>"),
                arguments("two volumes on one device", images(ec2("<launchVolumes>"
                        + "<volume><deviceName>/dev/sdf</deviceName><size>10</size></volume>"
                        + "<volume><deviceName>/dev/sdf</deviceName><size>20</size></volume></launchVolumes>")),
                        W + "/<launchVolumes>/<volume>[2]/<deviceName> '/dev/sdf' is listed twice"),
                arguments("device name that is not one", images(ec2("<launchVolumes><volume><deviceName>sdf; rm</deviceName>"
                        + "<size>10</size></volume></launchVolumes>")),
                        W + "/<launchVolumes>/<volume>[1]/<deviceName> 'sdf; rm' is not a device name"),
                arguments("snapshot id that is not one", images(ec2("<launchVolumes><volume><deviceName>/dev/sdf</deviceName>"
                        + "<snapshotId>snapshot-1</snapshotId></volume></launchVolumes>")),
                        W + "/<launchVolumes>/<volume>[1]/<snapshotId> 'snapshot-1' is not a snapshot id"),
                arguments("encrypted image volume", images(ec2("<imageVolumes><volume><deviceName>/dev/sdg</deviceName>"
                        + "<size>10</size><encrypted>true</encrypted></volume></imageVolumes>")),
                        W + "/<imageVolumes>/<volume>[1]/<encrypted> cannot be set on an image volume: CreateImage keeps the"
                                + " encryption of the builder's volumes"),
                arguments("subnet id and subnet filter", images(ec2("<subnetId>subnet-0123456789abcdef0</subnetId>"
                        + "<subnetFilter><filter><name>tag:Tier</name><values>build</values></filter></subnetFilter>")),
                        W + "/<subnetFilter> is set together with <subnetId>"),
                arguments("subnet filter without values", images(ec2("<subnetFilter><filter><name>tag:Tier</name></filter>"
                        + "</subnetFilter>")),
                        W + "/<subnetFilter>/<filter>[1]/<values> is missing"),
                arguments("security group filter without a name", images(ec2("<securityGroupFilter><filter>"
                        + "<values>ssh</values></filter></securityGroupFilter>")),
                        W + "/<securityGroupFilter>/<filter>[1]/<name> is missing"),
                arguments("local image with run tags", images(local("<runTags><Owner>me</Owner></runTags>")),
                        W + "/<runTags>" + ec2Only),
                arguments("local image with launch volumes", images(local("<launchVolumes><volume><deviceName>/dev/sdf"
                        + "</deviceName><size>10</size></volume></launchVolumes>")),
                        W + "/<launchVolumes>" + ec2Only),
                arguments("local image with image volumes", images(local("<imageVolumes><volume><deviceName>/dev/sdf"
                        + "</deviceName><size>10</size></volume></imageVolumes>")),
                        W + "/<imageVolumes>" + ec2Only),
                arguments("local image with a subnet filter", images(local("<subnetFilter><filter><name>tag:Tier</name>"
                        + "<values>build</values></filter></subnetFilter>")),
                        W + "/<subnetFilter>" + ec2Only),
                arguments("local image with a security group filter", images(local("<securityGroupFilter><filter>"
                        + "<name>tag:Role</name><values>ssh</values></filter></securityGroupFilter>")),
                        W + "/<securityGroupFilter>" + ec2Only),
                arguments("local image with root volume IOPS", images(local("<rootVolume><iops>3000</iops></rootVolume>")),
                        W + "/<rootVolume>/<iops>" + ec2Only),
                arguments("local image with root volume throughput", images(local("<rootVolume><throughput>300</throughput>"
                        + "</rootVolume>")),
                        W + "/<rootVolume>/<throughput>" + ec2Only),
                arguments("local image with an encrypted root volume", images(local("<rootVolume><kmsKeyId>" + KEY_ARN
                        + "</kmsKeyId></rootVolume>")),
                        W + "/<rootVolume>/<kmsKeyId>" + ec2Only));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedByValidateNamingTheField(String name, String configuration, String expected) throws Exception {
        ValidateMojo mojo = validateMojo("<region>ap-southeast-2</region>" + configuration);
        String message = assertThrows(MojoFailureException.class, mojo::definitions).getMessage();
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    /** Groups chosen by filter admit SSH as the user set them up: no temporary group, so no CIDRs to admit. */
    @Test
    void aSecurityGroupFilterNeedsNoAllowedCidrs() throws Exception {
        ValidateMojo mojo = validateMojo("<region>ap-southeast-2</region>" + images(ec2("<ssh><user>centos</user></ssh>"
                + "<securityGroupFilter><filter><name>tag:Role</name><values>ssh</values></filter></securityGroupFilter>")));
        assertEquals(Map.of("tag:Role", List.of("ssh")), mojo.definitions().specs().get(0).launch().securityGroupFilter());
    }

    /** Every option bound from the POM, merged over {@code <defaults>}, as the build receives it. */
    @Test
    void theOptionsReachTheImageAsWritten() throws Exception {
        ValidateMojo mojo = validateMojo("<region>ap-southeast-2</region>"
                + "<defaults><runTags><CostCenter>4711</CostCenter><Owner>ops</Owner></runTags>"
                + "<securityGroupFilter><filter><name>tag:Role</name><values><value>ssh</value><value>admin</value></values></filter>"
                + "</securityGroupFilter></defaults>"
                + images(ec2("<runTags><Owner>web-team</Owner></runTags>"
                        + "<rootVolume><size>30</size><type>gp3</type><iops>4000</iops><throughput>250</throughput>"
                        + "<kmsKeyId>" + KEY_ARN + "</kmsKeyId></rootVolume>"
                        + "<launchVolumes><volume><deviceName>/dev/sdf</deviceName><size>50</size><type>io2</type>"
                        + "<iops>1000</iops><encrypted>true</encrypted><deleteOnTermination>false</deleteOnTermination>"
                        + "</volume></launchVolumes>"
                        + "<imageVolumes><volume><deviceName>/dev/sdg</deviceName><snapshotId>snap-0123456789abcdef0</snapshotId>"
                        + "</volume></imageVolumes>"
                        + "<subnetFilter><filter><name>tag:Tier</name><values>build</values></filter></subnetFilter>")));
        LaunchOptions launch = mojo.definitions().specs().get(0).launch();
        assertEquals(Map.of("CostCenter", "4711", "Owner", "web-team"), launch.runTags());
        assertEquals(List.of(30, 4000, 250), List.of(launch.rootVolumeSize(), launch.rootVolumeIops(), launch.rootVolumeThroughput()));
        assertTrue(launch.rootVolumeEncrypted(), "a key implies encryption");
        assertEquals(KEY_ARN, launch.rootVolumeKmsKeyId());
        assertEquals(List.of(new Volume("/dev/sdf", 50, "io2", 1000, null, true, null, null, false)), launch.launchVolumes());
        assertEquals(List.of(new Volume("/dev/sdg", null, null, null, null, false, null, "snap-0123456789abcdef0", true)),
                launch.imageVolumes());
        assertEquals(Map.of("tag:Tier", List.of("build")), launch.subnetFilter());
        assertEquals(Map.of("tag:Role", List.of("ssh", "admin")), launch.securityGroupFilter());
    }
}
