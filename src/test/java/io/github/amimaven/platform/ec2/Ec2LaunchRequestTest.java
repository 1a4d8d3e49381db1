package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.amimaven.platform.LaunchSpec;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.ShutdownBehavior;
import software.amazon.awssdk.services.ec2.model.Tag;

/** A machine's needs, said in no platform's terms, as EC2's RunInstances request. */
class Ec2LaunchRequestTest {

    static final Map<String, String> TAGS = Map.of("ami:build", "b1");

    @Test
    void eachNeedBecomesItsEc2Field() {
        LaunchSpec spec = new LaunchSpec("ami-0123456789abcdef0", "t3.small", "key-1", "ssh-ed25519 AAAA k",
                List.of("sg-0123456789abcdef0"), "subnet-0123456789abcdef0", "image-builder", 30, "gp3",
                "#!/bin/sh\npoweroff\n", true, null, TAGS, true);
        RunInstancesRequest r = Ec2LaunchRequest.of(spec, "/dev/sda1");
        assertEquals("ami-0123456789abcdef0", r.imageId());
        assertEquals("t3.small", r.instanceTypeAsString());
        assertEquals("key-1", r.keyName());
        assertEquals(1, r.minCount());
        assertEquals(1, r.maxCount());
        assertEquals("subnet-0123456789abcdef0", r.subnetId());
        assertEquals(List.of("sg-0123456789abcdef0"), r.securityGroupIds());
        assertTrue(r.networkInterfaces().isEmpty());
        assertEquals("image-builder", r.iamInstanceProfile().name());
        assertNull(r.iamInstanceProfile().arn());
        assertEquals("/dev/sda1", r.blockDeviceMappings().get(0).deviceName());
        assertEquals(30, r.blockDeviceMappings().get(0).ebs().volumeSize());
        assertEquals("gp3", r.blockDeviceMappings().get(0).ebs().volumeTypeAsString());
        assertTrue(r.blockDeviceMappings().get(0).ebs().deleteOnTermination());
        assertEquals("#!/bin/sh\npoweroff\n", new String(Base64.getDecoder().decode(r.userData()), StandardCharsets.UTF_8));
        assertEquals(HttpTokensState.REQUIRED, r.metadataOptions().httpTokens());
        assertEquals(ShutdownBehavior.STOP, r.instanceInitiatedShutdownBehavior());
        assertEquals(List.of(ResourceType.INSTANCE, ResourceType.VOLUME, ResourceType.NETWORK_INTERFACE),
                r.tagSpecifications().stream().map(t -> t.resourceType()).toList());
        r.tagSpecifications().forEach(t -> assertEquals(List.of(Tag.builder().key("ami:build").value("b1").build()), t.tags()));
    }

    @Test
    void aPublicAddressChoiceMovesPlacementIntoTheNetworkInterface() {
        LaunchSpec spec = new LaunchSpec("ami-0123456789abcdef0", "t3.micro", null, null, List.of("sg-0123456789abcdef0"),
                "subnet-0123456789abcdef0", "arn:aws:iam::123456789012:instance-profile/image-builder", null, null, null,
                false, true, TAGS);
        RunInstancesRequest r = Ec2LaunchRequest.of(spec, "/dev/xvda");
        assertNull(r.subnetId());
        assertTrue(r.securityGroupIds().isEmpty());
        var nic = r.networkInterfaces().get(0);
        assertEquals(0, nic.deviceIndex());
        assertEquals("subnet-0123456789abcdef0", nic.subnetId());
        assertEquals(List.of("sg-0123456789abcdef0"), nic.groups());
        assertTrue(nic.associatePublicIpAddress());
        assertTrue(nic.deleteOnTermination());
        assertEquals("arn:aws:iam::123456789012:instance-profile/image-builder", r.iamInstanceProfile().arn());
    }

    @Test
    void whatIsNotAskedForIsLeftToEc2() {
        LaunchSpec spec = new LaunchSpec("ami-0123456789abcdef0", "t3.micro", null, null, null, null, null, null, null,
                null, false, null, TAGS);
        RunInstancesRequest r = Ec2LaunchRequest.of(spec, "/dev/xvda");
        assertNull(r.subnetId());
        assertTrue(r.securityGroupIds().isEmpty());
        assertNull(r.iamInstanceProfile());
        assertTrue(r.blockDeviceMappings().isEmpty());
        assertNull(r.userData());
        assertNull(r.metadataOptions());
        assertEquals(ShutdownBehavior.TERMINATE, r.instanceInitiatedShutdownBehavior());
    }
}
