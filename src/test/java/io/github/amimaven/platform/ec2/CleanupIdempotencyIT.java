package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.platform.LaunchSpec;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.EndpointAccount;

/**
 * Cleanup is idempotent: every delete treats "already gone" as done, whether EC2 says so with an error code or the
 * resource simply is not there any more; and deleting a security group waits out {@code DependencyViolation} while
 * a terminated instance still holds it, within a bound, then says why it gave up.
 */
class CleanupIdempotencyIT extends EndpointTest {

    static Stream<Arguments> goneCodes() {
        return Stream.of(
                Arguments.of("TerminateInstances", "InvalidInstanceID.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.terminate("i-0123456789abcdef0")),
                Arguments.of("DescribeInstances", "InvalidInstanceID.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.awaitTerminated("i-0123456789abcdef0", Duration.ofSeconds(10))),
                Arguments.of("DeleteKeyPair", "InvalidKeyPair.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.deleteKeyPair("ami-web-gone")),
                Arguments.of("DeleteSecurityGroup", "InvalidGroup.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.deleteFirewall("sg-0123456789abcdef0")),
                Arguments.of("DescribeImages", "InvalidAMIID.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.deleteImage("ami-0123456789abcdef0")),
                // a concurrent sweep deregistered it and deleted its snapshot between our Describe and our calls
                Arguments.of("DeregisterImage", "InvalidAMIID.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.deleteImage(id)),
                Arguments.of("DeleteSnapshot", "InvalidSnapshot.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.deleteImage(id)),
                Arguments.of("DeleteSnapshot", "InvalidSnapshot.NotFound",
                        (BiConsumer<Ec2Platform, String>) (p, id) -> p.remove(new TaggedResource(TaggedResource.Kind.SNAPSHOT,
                                "snap-0123456789abcdef0", Map.of(), null, null, null))));
    }

    /** An image of this account, for the deletes that need one to get as far as the failing call. */
    static String ownImage(EndpointAccount a) {
        return a.account().seedImage(new AccountState.ImageSeed(EndpointAccount.REGION, "own-" + System.nanoTime()));
    }

    @ParameterizedTest(name = "{0} answering {1} is success")
    @MethodSource("goneCodes")
    void alreadyGoneIsSuccess(String action, String code, BiConsumer<Ec2Platform, String> delete) {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "gone", 2)) {
            String image = ownImage(a);
            a.account().config().fail(action, code, "The resource does not exist", 400, 0);
            if (action.equals("DeregisterImage")) {
                a.account().config().fail("DeleteSnapshot", "InvalidSnapshot.NotFound", "gone too", 400, 0);
            }
            delete.accept(a.platform(), image);
            assertTrue(a.account().failedCounts().getOrDefault(action, 0) > 0, action + " was never called");

            // the same call failing for another reason is not swallowed
            a.account().config().fail(action, "UnauthorizedOperation", "You are not authorized", 403, 0);
            String other = ownImage(a);
            PlatformException e = assertThrows(PlatformException.class, () -> delete.accept(a.platform(), other));
            assertTrue(e.getMessage().contains("UnauthorizedOperation"), e.getMessage());
        }
    }

    @Test
    void deletingTwiceOrWhatNeverExistedIsSuccess() {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "twice", 2)) {
            Ec2Platform p = a.platform();
            String source = p.resolveSource(new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null)).id();
            String key = p.importKeyPair("ami-twice", SshKeys.generate("t").publicKeyOpenSsh(), Map.of());
            String group = p.createSshFirewall("ami-twice", List.of("10.0.0.0/8"), 22, Optional.empty(), Map.of()).orElseThrow();
            String instance = p.launch(new LaunchSpec(source, "t3.micro", key, null, List.of(group), null, null, null, null,
                    null, true, null, Map.of()));
            p.awaitRunning(instance, Duration.ofSeconds(30));
            String image = p.createImage(instance, "twice", "test", Map.of());
            p.awaitImageAvailable(image, Duration.ofSeconds(30));
            for (int round = 0; round < 2; round++) {
                p.terminate(instance);
                p.awaitTerminated(instance, Duration.ofSeconds(30));
                p.deleteKeyPair(key);
                p.deleteFirewall(group);
                p.deleteImage(image);
            }
            p.terminate("i-0000000000000dead");
            p.awaitTerminated("i-0000000000000dead", Duration.ofSeconds(10));
            p.deleteFirewall("sg-0000000000000dead");
            p.deleteImage("ami-0000000000000dead");
            p.remove(new TaggedResource(TaggedResource.Kind.SNAPSHOT, "snap-0000000000000dead", Map.of(), null, null, null));
            assertEquals(List.of(), a.leftovers(List.of()));
        }
    }

    /** A group used by an instance that is still shutting down: DeleteSecurityGroup answers DependencyViolation. */
    static String groupHeldByATerminatingInstance(EndpointAccount a, Ec2Platform p) {
        String source = p.resolveSource(new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null)).id();
        String group = p.createSshFirewall("ami-held-" + System.nanoTime(), List.of("10.0.0.0/8"), 22, Optional.empty(), Map.of())
                .orElseThrow();
        String instance = p.launch(new LaunchSpec(source, "t3.micro", null, null, List.of(group), null, null, null, null,
                null, true, null, Map.of()));
        p.awaitRunning(instance, Duration.ofSeconds(30));
        p.terminate(instance);
        return group;
    }

    @Test
    void aGroupStillHeldByATerminatingInstanceIsDeletedOnceReleased() {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "held", 2)) {
            a.account().config().delay(AccountState.Transition.INSTANCE_SHUTTING_DOWN, Duration.ofSeconds(3));
            Ec2Platform p = a.platform();
            String group = groupHeldByATerminatingInstance(a, p);
            long start = System.nanoTime();
            p.deleteFirewall(group);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() > 1500, "it waited for the release");
            assertTrue(a.account().requestCount("DeleteSecurityGroup") >= 2, "DependencyViolation was retried");
            assertTrue(a.account().securityGroups(EndpointAccount.REGION).stream().noneMatch(g -> g.groupId().equals(group)));
        }
    }

    @Test
    void aGroupNeverReleasedFailsAfterTheBoundSayingWhy() {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "neverfree", 2)) {
            a.account().config().delay(AccountState.Transition.INSTANCE_SHUTTING_DOWN, Duration.ofMinutes(5));
            Ec2Platform p = new Ec2Platform(a.client(), EndpointAccount.REGION, Duration.ofSeconds(4));
            String group = groupHeldByATerminatingInstance(a, p);
            long start = System.nanoTime();
            PlatformException e = assertThrows(PlatformException.class, () -> p.deleteFirewall(group));
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertTrue(ms >= 2000 && ms < 10_000, "gave up after the bound, not at once nor much later: " + ms + " ms");
            assertTrue(e.getMessage().startsWith("security group " + group + " is still in use after "), e.getMessage());
            assertTrue(e.getMessage().contains("DependencyViolation"), e.getMessage());
        }
    }
}
