package io.github.amimaven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.deploy.DeployRequest.Candidate;
import io.github.amimaven.deploy.DeployRequest.ImageDeployment;
import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.deploy.ReleaseSpec.Retention;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.platform.ec2.Ec2ReleasePlatform;
import io.github.amimaven.platform.ec2.Ec2Settings;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.AutoScalingSetup;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.Views;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The deploy phase and {@code ami:prune} through the real AWS SDK (EC2, STS, SSM) against the EC2 test endpoint:
 * promotion both ways, parallel region copies with tags, sharing and encryption, SSM parameters, launch template
 * versions, cross-account copies, a failure or a kill half-way and the re-run that resumes, throttling, retention.
 */
class Ec2DeployIT extends EndpointTest {

    static final String HOME = "ap-southeast-2";
    static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");
    static final String PROJECT = "com.example:images";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-abcd1234ef";
    static final String OU = "arn:aws:organizations::111122223333:ou/o-abcd1234ef/ou-ab12-cdef3456";
    static final String SHARED_ACCOUNT = "444455556666";
    static final AtomicInteger ACCOUNTS = new AtomicInteger();

    AccountState account;
    Ec2Clients clients;
    Ec2ReleasePlatform platform;
    final CollectingLog log = CollectingLog.quiet();

    @AfterEach
    void closeClients() {
        if (clients != null) {
            clients.close();
        }
    }

    /** A fresh account with fast transitions, used by the SDK through the default credential chain. */
    AccountState newAccount(Duration copyDelay) {
        String accessKey = "AKIDDEPLOY" + ACCOUNTS.incrementAndGet();
        account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(100)).delay(AccountState.Transition.IMAGE_COPY, copyDelay);
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
        clients = new Ec2Clients(new Ec2Settings(HOME, null, null, endpoint.uri(), 10));
        platform = new Ec2ReleasePlatform(clients, HOME);
        return account;
    }

    /** A candidate as package and verify leave it: available, tagged, its snapshot tagged too. */
    String candidate(String image, String name, String status) {
        String id = account.seedImage(new AccountState.ImageSeed(HOME, name).ownerId("self")
                .tags(Map.of("ami:status", status, "ami:image", image, "ami:project", PROJECT, "Name", name,
                        "Team", "platform", "ami:build-id", "b1", "ami:role", "candidate")));
        platform.tag(HOME, id, Map.of("ami:status", status));
        return id;
    }

    ImageRelease deploy(String image, String candidateId, String candidateName, ReleaseSpec spec, boolean force)
            throws InterruptedException {
        List<ImageRelease> out = new Deployer(d -> platform, Pipelines::release, log).deploy(new DeployRequest(List.of(
                new ImageDeployment(image, new Candidate(candidateId, candidateName, "test"), spec,
                        Duration.ofSeconds(60))), force));
        return out.get(0);
    }

    List<Views.Image> own(String region) {
        return account.images(region).stream().filter(i -> i.ownerId().equals(account.accountId())).toList();
    }

    Views.Snapshot snapshot(String region, String id) {
        return account.snapshots(region).stream().filter(s -> s.snapshotId().equals(id)).findFirst().orElseThrow();
    }

    static ReleaseSpec copyTo(List<String> regions, Promotion promotion) {
        return new ReleaseSpec(promotion, regions.stream().map(r -> new RegionTarget(r, null, false)).toList(),
                Sharing.NONE, List.of(), List.of(), List.of(), null, false, null);
    }

    String failures(ImageRelease r) {
        return r.problems().stream().map(ImageRelease.Problem::describe).collect(Collectors.joining("\n"))
                + "\n" + String.join("\n", log.messages());
    }

    // ---- promotion ----

    @Test
    void tagPromotionRetagsTheCandidateAndItsSnapshotsInPlace() throws Exception {
        newAccount(Duration.ofMillis(100));
        String id = candidate("web", "web-20260101-000000", "verified");
        ImageRelease r = deploy("web", id, null, ReleaseSpec.DEFAULT, false);
        assertTrue(r.complete(), () -> failures(r));
        assertEquals(id, r.releasedId());
        assertEquals(Map.of(HOME, id), r.regions());
        Views.Image image = own(HOME).get(0);
        assertEquals(1, own(HOME).size());
        assertEquals("released", image.tags().get("ami:status"));
        assertEquals("platform", image.tags().get("Team"));
        assertEquals("released", snapshot(HOME, image.snapshotIds().get(0)).tags().get("ami:status"));
        assertEquals("release", image.tags().get("ami:role"), "no longer the candidate");
        assertEquals("release", snapshot(HOME, image.snapshotIds().get(0)).tags().get("ami:role"));
        assertEquals(0, account.requestCount("CopyImage"));
        Map<String, String> createTags = account.lastRequest("CreateTags");
        assertEquals(Map.of("ResourceId.1", id, "ResourceId.2", image.snapshotIds().get(0)),
                keysStartingWith(createTags, "ResourceId."));
        assertEquals(Map.of("ami:status", "released", "ami:role", "release"), tagsSent(createTags));
        assertEquals(0, account.requestCount("DeleteTags"), "tags are replaced, none deleted");

        int tagCalls = account.requestCount("CreateTags");
        ImageRelease again = deploy("web", id, null, ReleaseSpec.DEFAULT, false);
        assertTrue(again.complete(), () -> failures(again));
        assertEquals(tagCalls, account.requestCount("CreateTags"), "a release tagged as one is not tagged again");
    }

    static Map<String, String> keysStartingWith(Map<String, String> params, String prefix) {
        return params.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The tags a CreateTags request set: its Tag.N.Key and Tag.N.Value parameters. */
    static Map<String, String> tagsSent(Map<String, String> params) {
        Map<String, String> tags = new java.util.HashMap<>();
        for (int i = 1; params.containsKey("Tag." + i + ".Key"); i++) {
            tags.put(params.get("Tag." + i + ".Key"), params.get("Tag." + i + ".Value"));
        }
        return tags;
    }

    @Test
    void copyPromotionCopiesToTheReleaseNameThenDeletesTheCandidateAndItsSnapshots() throws Exception {
        newAccount(Duration.ofMillis(300));
        String id = candidate("web", "candidate-web-20260101-000000", "verified");
        String candidateSnapshot = own(HOME).get(0).snapshotIds().get(0);
        ImageRelease r = deploy("web", id, "candidate-web-20260101-000000", copyTo(List.of(), Promotion.COPY), false);
        assertTrue(r.complete(), () -> failures(r));
        List<Views.Image> images = own(HOME);
        assertEquals(1, images.size(), images.toString());
        Views.Image release = images.get(0);
        assertEquals(r.releasedId(), release.imageId());
        assertNotEquals(id, release.imageId());
        assertEquals("web-20260101-000000", release.name());
        assertEquals("web-20260101-000000", r.releaseName());
        assertEquals("available", release.state());
        assertEquals("released", release.tags().get("ami:status"));
        assertEquals("release", release.tags().get("ami:role"));
        assertEquals("web-20260101-000000", release.tags().get("Name"));
        assertEquals("platform", release.tags().get("Team"));
        assertEquals("released", snapshot(HOME, release.snapshotIds().get(0)).tags().get("ami:status"));
        assertTrue(account.snapshots(HOME).stream().noneMatch(s -> s.snapshotId().equals(candidateSnapshot)),
                "the candidate's snapshot was deleted");

        // a re-run finds the release (the candidate is gone) and copies nothing
        ImageRelease again = deploy("web", id, "candidate-web-20260101-000000", copyTo(List.of(), Promotion.COPY), false);
        assertTrue(again.complete(), () -> failures(again));
        assertEquals(r.releasedId(), again.releasedId());
        assertEquals(1, account.requestCount("CopyImage"));
    }

    @Test
    void aCandidateThatWasNotVerifiedIsRefusedUnlessForced() throws Exception {
        newAccount(Duration.ofMillis(100));
        String id = candidate("web", "web-20260101-000000", "candidate");
        ImageRelease refused = deploy("web", id, null, ReleaseSpec.DEFAULT, false);
        assertFalse(refused.promoted());
        assertTrue(refused.refused().contains("is candidate, not verified"), refused.refused());
        assertTrue(refused.refused().contains("-Dami.forcePromote"), refused.refused());
        assertEquals("candidate", own(HOME).get(0).tags().get("ami:status"));

        ImageRelease forced = deploy("web", id, null, ReleaseSpec.DEFAULT, true);
        assertTrue(forced.complete(), () -> failures(forced));
        assertEquals("released", own(HOME).get(0).tags().get("ami:status"));
        assertTrue(log.messages().stream().anyMatch(l -> l.startsWith("WARN [web] PROMOTING UNVERIFIED candidate " + id)),
                log.text());

        String other = candidate("db", "db-20260101-000000", "verified");
        ImageRelease wrongImage = deploy("web", other, null, ReleaseSpec.DEFAULT, false);
        assertTrue(wrongImage.refused().contains("is an image of 'db', not of 'web'"), wrongImage.refused());
    }

    // ---- distribution and publishing ----

    @Test
    void distributesToThreeRegionsInParallelSharesAndPublishes() throws Exception {
        newAccount(Duration.ofSeconds(2));
        Ec2Client homeEc2 = clients.client(HOME);
        String homeTemplate = homeEc2.createLaunchTemplate(r -> r.launchTemplateName("web-home")
                .launchTemplateData(d -> d.instanceType("t3.small").imageId("ami-00000000000000000")))
                .launchTemplate().launchTemplateId();
        clients.client("us-east-1").createLaunchTemplate(r -> r.launchTemplateName("web-east")
                .launchTemplateData(d -> d.instanceType("t3.large")));
        String id = candidate("web", "candidate-web-20260101-000000", "verified");
        ReleaseSpec spec = new ReleaseSpec(Promotion.COPY,
                List.of(new RegionTarget("us-east-1", KMS_KEY, true), new RegionTarget("us-west-2", null, true),
                        new RegionTarget("eu-west-1", null, false)),
                new Sharing(List.of(SHARED_ACCOUNT), List.of(ORG), List.of(OU), true), List.of(),
                List.of("/images/web/latest"),
                List.of(new LaunchTemplateTarget(homeTemplate, null, null, true),
                        new LaunchTemplateTarget(null, "web-east", "us-east-1", false)),
                Duration.ofDays(30), true, null);

        ImageRelease r = deploy("web", id, "candidate-web-20260101-000000", spec, false);
        assertTrue(r.complete(), () -> failures(r));

        assertEquals(List.of(HOME, "us-east-1", "us-west-2", "eu-west-1"), List.copyOf(r.regions().keySet()));
        List<Instant> copyStarts = new ArrayList<>();
        for (String region : r.regions().keySet()) {
            List<Views.Image> images = own(region);
            assertEquals(1, images.size(), region + ": " + images);
            Views.Image image = images.get(0);
            assertEquals(r.regions().get(region), image.imageId());
            assertEquals("web-20260101-000000", image.name());
            assertEquals("available", image.state());
            assertEquals("released", image.tags().get("ami:status"), region);
            assertEquals("release", image.tags().get("ami:role"), region);
            assertEquals("platform", image.tags().get("Team"), region);
            assertEquals("web", image.tags().get("ami:image"), region);
            Views.Snapshot snap = snapshot(region, image.snapshotIds().get(0));
            assertEquals("released", snap.tags().get("ami:status"), region);
            assertEquals("platform", snap.tags().get("Team"), region);
            assertEquals(Set.of(SHARED_ACCOUNT), image.launchPermissionUserIds(), region);
            assertEquals(Set.of(ORG), image.launchPermissionOrganizationArns(), region);
            assertEquals(Set.of(OU), image.launchPermissionOrganizationalUnitArns(), region);
            assertEquals(Set.of(SHARED_ACCOUNT), snap.createVolumePermissionUserIds(), region);
            assertEquals("enabled", image.deregistrationProtection(), region);
            assertNotNull(image.deprecationTime(), region);
            assertEquals(r.deprecateAt().toEpochMilli(), Instant.parse(image.deprecationTime()).toEpochMilli(), region);
            if (!region.equals(HOME)) {
                assertEquals(HOME + "/" + r.releasedId(), image.tags().get("ami:copied-from"), region);
                copyStarts.add(Instant.parse(image.creationDate()));
            }
            Views.Parameter parameter = account.parameters(region).get(0);
            assertEquals("/images/web/latest", parameter.name());
            assertEquals(image.imageId(), parameter.value(), region);
            assertEquals("aws:ec2:image", parameter.dataType());
            assertEquals(image.imageId(), clients.ssm(region).getParameter(p -> p.name("/images/web/latest"))
                    .parameter().value(), region);
        }
        // each copy takes 2 s to become available: one after the other, they would start 2 s apart
        Duration spread = Duration.between(Collections.min(copyStarts), Collections.max(copyStarts));
        assertTrue(spread.compareTo(Duration.ofMillis(1500)) < 0, "copies started " + spread + " apart");
        Instant expected = Instant.parse(own(HOME).get(0).creationDate()).plus(Duration.ofDays(30));
        assertTrue(Duration.between(expected, r.deprecateAt()).abs().toSeconds() < 2, r.deprecateAt() + " vs " + expected);

        assertTrue(snapshot("us-east-1", own("us-east-1").get(0).snapshotIds().get(0)).encrypted());
        assertEquals(KMS_KEY, snapshot("us-east-1", own("us-east-1").get(0).snapshotIds().get(0)).kmsKeyId());
        assertEquals("alias/aws/ebs", snapshot("us-west-2", own("us-west-2").get(0).snapshotIds().get(0)).kmsKeyId());
        assertFalse(snapshot("eu-west-1", own("eu-west-1").get(0).snapshotIds().get(0)).encrypted());

        Views.LaunchTemplate home = account.launchTemplates(HOME).get(0);
        assertEquals(2, home.latestVersion());
        assertEquals(2, home.defaultVersion());
        assertEquals(r.regions().get(HOME), home.versions().get(1).imageId());
        assertEquals("t3.small", home.versions().get(1).instanceType(), "based on the latest version");
        Views.LaunchTemplate east = account.launchTemplates("us-east-1").get(0);
        assertEquals(2, east.latestVersion());
        assertEquals(1, east.defaultVersion(), "not asked to become the default");
        assertEquals(r.regions().get("us-east-1"), east.versions().get(1).imageId());
        assertEquals(List.of(2L, 2L), r.launchTemplates().stream().map(LaunchTemplateVersion::version).toList());
        assertEquals(Map.of("/images/web/latest", r.regions().get("eu-west-1")), r.parameters().get("eu-west-1"));

        int shares = account.requestCount("ModifyImageAttribute");
        int volumeShares = account.requestCount("ModifySnapshotAttribute");
        assertEquals(4, shares, "one per region");
        assertEquals(4, volumeShares, "one per region's snapshot");

        // everything is found again: a second deploy copies nothing, shares nothing and adds no template version
        int copies = account.requestCount("CopyImage");
        ImageRelease again = deploy("web", id, "candidate-web-20260101-000000", spec, false);
        assertTrue(again.complete(), () -> failures(again));
        assertEquals(r.regions(), again.regions());
        assertEquals(copies, account.requestCount("CopyImage"));
        assertEquals(shares, account.requestCount("ModifyImageAttribute"), "shared already: nothing asked again");
        assertEquals(volumeShares, account.requestCount("ModifySnapshotAttribute"));

        // one more account to share with: only that one is asked for
        String newAccount = "777788889999";
        ReleaseSpec wider = new ReleaseSpec(spec.promotion(), spec.regions(), new Sharing(List.of(SHARED_ACCOUNT,
                newAccount), List.of(ORG), List.of(OU), true), spec.accountCopies(), spec.ssmParameters(),
                spec.launchTemplates(), spec.deprecateAfter(), spec.deregistrationProtection(), spec.retention());
        ImageRelease widened = deploy("web", id, "candidate-web-20260101-000000", wider, false);
        assertTrue(widened.complete(), () -> failures(widened));
        assertEquals(shares + 4, account.requestCount("ModifyImageAttribute"));
        assertEquals(Map.of("LaunchPermission.Add.1.UserId", newAccount),
                keysStartingWith(account.lastRequest("ModifyImageAttribute"), "LaunchPermission."));
        assertEquals(volumeShares + 4, account.requestCount("ModifySnapshotAttribute"));
        assertEquals(Map.of("CreateVolumePermission.Add.1.UserId", newAccount),
                keysStartingWith(account.lastRequest("ModifySnapshotAttribute"), "CreateVolumePermission."));
        for (String region : r.regions().keySet()) {
            assertEquals(Set.of(SHARED_ACCOUNT, newAccount), own(region).get(0).launchPermissionUserIds(), region);
        }
        assertEquals(2, account.launchTemplates(HOME).get(0).latestVersion());
        assertTrue(again.launchTemplates().stream().noneMatch(LaunchTemplateVersion::created));
    }

    /**
     * Copies only wait, so none may queue behind another: the 12 copies of 4 images to 3 regions all start before
     * the first one (2 s) is available. A pool of 4 threads would start them in three rounds, 2 s apart.
     */
    @Test
    void allCopiesOfAllImagesStartTogether() throws Exception {
        newAccount(Duration.ofSeconds(2));
        List<ImageDeployment> images = new ArrayList<>();
        for (String image : List.of("web", "db", "cache", "queue")) {
            String name = image + "-20260101-000000";
            images.add(new ImageDeployment(image, new Candidate(candidate(image, name, "verified"), name, "test"),
                    copyTo(REGIONS, Promotion.TAG), Duration.ofSeconds(60)));
        }
        int tagCalls = account.requestCount("CreateTags");
        List<ImageRelease> released = new Deployer(d -> platform, Pipelines::release, log).deploy(new DeployRequest(images, false));
        for (ImageRelease r : released) {
            assertTrue(r.complete(), () -> failures(r));
        }
        // one CreateTags per promotion; the copies and their snapshots were tagged as they were created
        assertEquals(tagCalls + 4, account.requestCount("CreateTags"));
        List<Instant> copyStarts = new ArrayList<>();
        for (String region : REGIONS) {
            own(region).forEach(i -> copyStarts.add(Instant.parse(i.creationDate())));
        }
        assertEquals(12, copyStarts.size());
        Duration spread = Duration.between(Collections.min(copyStarts), Collections.max(copyStarts));
        assertTrue(spread.compareTo(Duration.ofMillis(1500)) < 0, "copies started " + spread + " apart");
    }

    @Test
    void aDeployFailingHalfWayIsResumedWithoutCopyingAnythingTwice() throws Exception {
        newAccount(Duration.ofMillis(300));
        String id = candidate("web", "web-20260101-000000", "verified");
        ReleaseSpec spec = new ReleaseSpec(Promotion.TAG, REGIONS.stream().map(r -> new RegionTarget(r, null, false)).toList(),
                Sharing.NONE, List.of(), List.of("/images/web/latest"), List.of(), null, false, null);
        account.config().fail("CopyImage", "OptInRequired", "You are not subscribed to this service", 401, 1);

        ImageRelease first = deploy("web", id, null, spec, false);
        assertTrue(first.promoted());
        assertEquals(1, first.problems().size(), () -> failures(first));
        String failedStep = first.problems().get(0).step();
        assertTrue(failedStep.startsWith("copying to "), failedStep);
        String failedRegion = failedStep.substring("copying to ".length());
        assertEquals(3, first.regions().size(), first.regions().toString());
        assertFalse(first.regions().containsKey(failedRegion));
        assertTrue(account.parameters(failedRegion).isEmpty());
        assertEquals(3, account.requestCount("CopyImage"));

        ImageRelease second = deploy("web", id, null, spec, false);
        assertTrue(second.complete(), () -> failures(second));
        assertEquals(4, second.regions().size());
        assertEquals(4, account.requestCount("CopyImage"), "only the failed region was copied again");
        for (String region : REGIONS) {
            assertEquals(1, own(region).size(), region + ": " + own(region));
            assertEquals(second.regions().get(region), account.parameters(region).get(0).value());
        }
        first.regions().forEach((region, imageId) -> assertEquals(imageId, second.regions().get(region)));
        String doneBefore = REGIONS.stream().filter(r -> !r.equals(failedRegion)).findFirst().orElseThrow();
        assertTrue(log.messages().contains("[web] copy to " + doneBefore + " exists already ("
                + first.regions().get(doneBefore) + ", available): not copied again"), log.text());
    }

    @Test
    void aDeployKilledWhileCopyingIsResumedAndWaitsForThePendingCopies() throws Exception {
        newAccount(Duration.ofSeconds(4));
        String id = candidate("web", "web-20260101-000000", "verified");
        ReleaseSpec spec = copyTo(REGIONS, Promotion.TAG);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread deploy = new Thread(() -> {
            try {
                deploy("web", id, null, spec, false);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        deploy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (account.requestCount("CopyImage") < 3 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(3, account.requestCount("CopyImage"));
        deploy.interrupt(); // what a kill leaves: three copies started, none waited for
        deploy.join(10_000);
        assertFalse(deploy.isAlive());
        assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
        for (String region : REGIONS) {
            assertEquals("pending", own(region).get(0).state(), region);
        }

        ImageRelease resumed = deploy("web", id, null, spec, false);
        assertTrue(resumed.complete(), () -> failures(resumed));
        assertEquals(3, account.requestCount("CopyImage"), "the pending copies were waited for, not repeated");
        for (String region : REGIONS) {
            assertEquals(1, own(region).size(), region);
            assertEquals("available", own(region).get(0).state(), region);
            assertEquals(own(region).get(0).imageId(), resumed.regions().get(region));
        }

        // a copy request repeated with its token (a retry after a lost answer) is the same copy
        Views.Image east = own("us-east-1").get(0);
        String token = ResumableCopy.idempotencyToken("region", HOME, id, "us-east-1", "web-20260101-000000");
        assertEquals(east.imageId(), platform.copy(new ImageCopy(HOME, id, "us-east-1", "web-20260101-000000", null,
                null, false, Map.of(), token)));
    }

    @Test
    void throttledCopiesAreRetriedByTheSdk() throws Exception {
        newAccount(Duration.ofMillis(200));
        String id = candidate("web", "web-20260101-000000", "verified");
        account.config().throttle(0.5, 1, "CopyImage");
        ImageRelease r = deploy("web", id, null, copyTo(REGIONS, Promotion.TAG), false);
        assertTrue(r.complete(), () -> failures(r));
        int throttled = account.throttledCounts().getOrDefault("CopyImage", 0);
        assertTrue(throttled > 0, "nothing throttled: " + account.throttledCounts());
        assertEquals(3, account.requestCount("CopyImage") - throttled, "three copies, each made once");
        for (String region : REGIONS) {
            assertEquals(1, own(region).size(), region);
        }
    }

    @Test
    void anotherAccountGetsItsOwnCopyThroughAnAssumedRole() throws Exception {
        AccountState target = endpoint.account("AKIDDEPLOYTARGET" + ACCOUNTS.incrementAndGet());
        target.config().allDelays(Duration.ofMillis(100));
        newAccount(Duration.ofMillis(200));
        String id = candidate("web", "web-20260101-000000", "verified");
        String role = "arn:aws:iam::" + target.accountId() + ":role/image-import";
        ReleaseSpec spec = new ReleaseSpec(Promotion.TAG, List.of(new RegionTarget("us-east-1", null, false)),
                Sharing.NONE, List.of(new AccountCopy(role, target.accountId(), List.of("us-east-1"))), List.of(),
                List.of(), null, false, null);
        ImageRelease r = deploy("web", id, null, spec, false);
        assertTrue(r.complete(), () -> failures(r));

        Views.Image source = own("us-east-1").get(0);
        assertTrue(source.launchPermissionUserIds().contains(target.accountId()));
        assertTrue(snapshot("us-east-1", source.snapshotIds().get(0)).createVolumePermissionUserIds()
                .contains(target.accountId()), "copying a shared image needs read access to its snapshots");
        List<Views.Image> copies = target.images("us-east-1");
        assertEquals(1, copies.size());
        Views.Image copy = copies.get(0);
        assertEquals(target.accountId(), copy.ownerId());
        assertEquals("web-20260101-000000", copy.name());
        assertEquals("released", copy.tags().get("ami:status"));
        assertEquals("us-east-1/" + source.imageId(), copy.tags().get("ami:copied-from"));
        assertEquals(Map.of(target.accountId(), Map.of("us-east-1", copy.imageId())), r.accounts());
        assertEquals(1, account.requestCount("AssumeRole"));
        assertEquals(1, target.requestCount("CopyImage"));
        assertTrue(target.images(HOME).isEmpty(), "only the regions asked for");

        // the same deploy again: found in the other account, not copied again
        ImageRelease again = deploy("web", id, null, spec, false);
        assertTrue(again.complete(), () -> failures(again));
        assertEquals(1, target.requestCount("CopyImage"));
    }

    @Test
    void anUnknownLaunchTemplateFailsThatStepOnlyNamingTheSetting() throws Exception {
        newAccount(Duration.ofMillis(100));
        String id = candidate("web", "web-20260101-000000", "verified");
        ReleaseSpec spec = new ReleaseSpec(Promotion.TAG, List.of(), Sharing.NONE, List.of(), List.of("/images/web/latest"),
                List.of(new LaunchTemplateTarget(null, "no-such-template", null, true)), null, false, null);
        ImageRelease r = deploy("web", id, null, spec, false);
        assertTrue(r.promoted());
        assertEquals(1, r.problems().size(), () -> failures(r));
        String message = r.problems().get(0).describe();
        assertTrue(message.contains("launch template no-such-template does not exist in " + HOME), message);
        assertTrue(message.contains("<deploy>/<launchTemplates>"), message);
        assertEquals(id, account.parameters(HOME).get(0).value(), "the other steps still ran");
    }

    // ---- retention ----

    @Test
    void pruneKeepsExactlyTheNewestNAndSparesImagesInUse() throws Exception {
        newAccount(Duration.ofMillis(100));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<String> home = new ArrayList<>();
        for (int i = 0; i < 7; i++) { // home.get(0) is the newest
            home.add(account.seedImage(new AccountState.ImageSeed(HOME, "web-" + (7 - i)).ownerId("self")
                    .creationDate(t0.minus(Duration.ofDays(i))).tags(Map.of("ami:project", PROJECT, "ami:image", "web",
                            "ami:status", "released"))));
        }
        List<String> east = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            east.add(account.seedImage(new AccountState.ImageSeed("us-east-1", "web-" + (5 - i)).ownerId("self")
                    .creationDate(t0.minus(Duration.ofDays(i))).tags(Map.of("ami:project", PROJECT, "ami:image", "web",
                            "ami:status", "released"))));
        }
        String otherImage = account.seedImage(new AccountState.ImageSeed(HOME, "db-1").ownerId("self")
                .creationDate(t0.minus(Duration.ofDays(30))).tags(Map.of("ami:project", PROJECT, "ami:image", "db",
                        "ami:status", "released")));
        String candidate = account.seedImage(new AccountState.ImageSeed(HOME, "web-candidate").ownerId("self")
                .creationDate(t0.minus(Duration.ofDays(30))).tags(Map.of("ami:project", PROJECT, "ami:image", "web",
                        "ami:status", "verified")));
        Ec2Client ec2 = clients.client(HOME);
        ec2.runInstances(r -> r.imageId(home.get(4)).instanceType("t3.micro").minCount(1).maxCount(1));
        String template = ec2.createLaunchTemplate(r -> r.launchTemplateName("web")
                .launchTemplateData(d -> d.imageId(home.get(6)))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(template).sourceVersion("1")
                .launchTemplateData(d -> d.imageId(home.get(3))));
        clients.client("us-east-1").enableImageDeregistrationProtection(r -> r.imageId(east.get(3)));
        clients.ssm("us-east-1").putParameter(r -> r.name("/images/web/pinned").value(east.get(4))
                .type("String").dataType("aws:ec2:image"));
        clients.client("us-east-1").createLaunchTemplate(r -> r.launchTemplateName("web-pinned")
                .launchTemplateData(d -> d.imageId("resolve:ssm:/images/web/pinned")));
        Pruner.ImagePrune policy = new Pruner.ImagePrune("web", PROJECT, new Retention(2, null), List.of("us-east-1"));

        Pruner.Outcome dry = new Pruner(p -> platform, log).prune(List.of(policy), true);
        assertEquals(List.of(), dry.deleted());
        assertEquals(7, own(HOME).stream().filter(i -> i.name().startsWith("web-") && !i.name().contains("candidate")).count());
        assertTrue(log.messages().stream().anyMatch(l -> l.contains("would delete " + home.get(2))), log.text());

        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(policy), false);
        assertEquals(List.of(), outcome.problems());
        Set<String> homeLeft = own(HOME).stream().map(Views.Image::imageId).collect(Collectors.toSet());
        assertEquals(Set.of(home.get(0), home.get(1), home.get(3), home.get(4), home.get(6), otherImage, candidate), homeLeft,
                "the newest 2, the launch template's latest (3) and default (6), the running instance's (4),"
                        + " and nothing of another image or status");
        Set<String> eastLeft = own("us-east-1").stream().map(Views.Image::imageId).collect(Collectors.toSet());
        assertEquals(Set.of(east.get(0), east.get(1), east.get(4)), eastLeft, "the pinned one is used through SSM");
        assertEquals(Set.of(home.get(2), home.get(5), east.get(2), east.get(3)),
                outcome.deleted().stream().map(d -> d.released().id()).collect(Collectors.toSet()));
        Set<String> snapshotsLeft = account.snapshots("us-east-1").stream().map(Views.Snapshot::snapshotId)
                .collect(Collectors.toSet());
        assertEquals(3, snapshotsLeft.size(), "the deleted images' snapshots went with them");
        assertNull(outcome.decisions().stream().filter(d -> d.released().id().equals(home.get(4))).findFirst()
                .filter(d -> !d.keep()).orElse(null));
        assertEquals("in use by an instance or a launch template", outcome.decisions().stream()
                .filter(d -> d.released().id().equals(home.get(4))).findFirst().orElseThrow().reason());
    }

    /** Released images of web in {@code region}, {@code get(0)} the newest, {@code age(i)} old. */
    List<String> released(String region, int count, java.util.function.IntFunction<Duration> age) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(account.seedImage(new AccountState.ImageSeed(region, "web-" + (count - i)).ownerId("self")
                    .creationDate(Instant.now().minus(age.apply(i))).tags(Pruner.releaseTags(PROJECT, "web"))));
        }
        return ids;
    }

    Set<String> ownIds(String region) {
        return own(region).stream().map(Views.Image::imageId).collect(Collectors.toSet());
    }

    @Test
    void pruneSparesTheLaunchTemplateVersionsAutoScalingGroupsPinOrMix() throws Exception {
        newAccount(Duration.ofMillis(100));
        List<String> home = released(HOME, 9, i -> Duration.ofDays(10 + i));
        // three versions each: the default (1) and the latest (3) use the newest image, version 2 an old one
        List<String> templates = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            templates.add(AutoScalingSetup.template(clients, HOME, "web-" + t, home.get(0), home.get(7 - t), home.get(0)));
        }
        AutoScalingSetup.group(clients, HOME, "web-pinned", "web-0", "2");
        AutoScalingSetup.mixedGroup(clients, HOME, "web-mixed", templates.get(1), "2", templates.get(2), "2");

        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(new Pruner.ImagePrune("web", PROJECT,
                new Retention(1, null), List.of())), false);
        assertEquals(List.of(), outcome.problems());
        assertEquals(Set.of(home.get(0), home.get(7), home.get(6), home.get(5)), ownIds(HOME),
                "the newest, and version 2 of each template: pinned by a group, by a mixed instances policy, by its"
                        + " override");
        assertEquals(Set.of(home.get(1), home.get(2), home.get(3), home.get(4), home.get(8)),
                outcome.deleted().stream().map(d -> d.released().id()).collect(Collectors.toSet()));
        assertEquals(1, account.requestCount("DescribeAutoScalingGroups"));
        assertEquals(List.of("$Default", "$Latest", "2"), versionsAsked(templates.get(2)));
    }

    /** The versions prune asked DescribeLaunchTemplateVersions for, of the template it asked about last. */
    List<String> versionsAsked(String template) {
        Map<String, String> request = account.lastRequest("DescribeLaunchTemplateVersions");
        return request.get("LaunchTemplateId").equals(template) ? request.entrySet().stream()
                .filter(e -> e.getKey().startsWith("LaunchTemplateVersion.")).sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue).toList()
                : List.of("asked last about " + request.get("LaunchTemplateId"));
    }

    @Test
    void pruneKeepsWhatIsYoungerThanMaxAgeInEveryRegion() throws Exception {
        newAccount(Duration.ofMillis(100));
        List<Duration> ages = List.of(Duration.ofDays(1), Duration.ofDays(29), Duration.ofDays(31), Duration.ofDays(90));
        List<String> home = released(HOME, 4, ages::get);
        List<String> east = released("us-east-1", 4, i -> ages.get(i).plusDays(40));
        Pruner.Outcome outcome = new Pruner(p -> platform, log).prune(List.of(new Pruner.ImagePrune("web", PROJECT,
                new Retention(null, Duration.ofDays(30)), List.of("us-east-1"))), false);
        assertEquals(List.of(), outcome.problems());
        assertEquals(Set.of(home.get(0), home.get(1)), ownIds(HOME), "younger than 30d");
        assertEquals(Set.of(east.get(0)), ownIds("us-east-1"), "all older than 30d: only the newest stays");
        assertEquals(List.of("younger than 30d", "younger than 30d", "expired", "expired", "the newest release",
                "expired", "expired", "expired"), outcome.decisions().stream().map(Pruner.Decision::reason).toList());
    }
}
