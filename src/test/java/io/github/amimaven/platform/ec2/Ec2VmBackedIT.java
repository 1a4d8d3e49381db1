package io.github.amimaven.platform.ec2;

import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.steps.BuildContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.steps.Pipelines;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.Ec2TestEndpoint;
import io.github.amimaven.testing.ec2.Views;
import io.github.amimaven.verify.CommandVerifier;
import io.github.amimaven.verify.VerifierReport;

/**
 * The EC2 code path end to end for real: the SDK talks to the test endpoint in VM mode, where RunInstances boots a
 * QEMU VM from the disk the AMI stands for and CreateImage captures the stopped VM's disk. A change provisioned
 * over SSH is in the candidate (a test instance booted from it sees it) and not in the source (one booted from the
 * source does not).
 */
class Ec2VmBackedIT {

    static final String REGION = "eu-west-1";
    static final String MARKER = "/etc/ami-ec2-path-marker";
    static Path baseImage;
    static Ec2TestEndpoint endpoint;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        RequiredTool.qemu();
        baseImage = RequiredTool.baseImage();
        endpoint = Ec2TestEndpoint.start(new Ec2TestEndpoint.Options().workDir(tmp.resolve("endpoint")));
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private static ImageSpec image(SourceSpec source, List<io.github.amimaven.verify.Verifier> verifiers) {
        SshAccess ssh = new SshAccess("debian", 2222, SshAccess.AddressType.PRIVATE_IP, Duration.ofMinutes(4), null, null,
                List.of("127.0.0.0/8"), null);
        return new ImageSpec("vm-backed", "ec2", source,
                new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null), ssh,
                List.of(new ShellProvisioner("inline", ("#!/bin/sh -e\necho made-on-the-ec2-path | sudo tee " + MARKER
                        + "\n").getBytes(StandardCharsets.UTF_8), Map.of(), false, Set.of(0))),
                Map.of(), ImageNamer.DEFAULT_TEMPLATE, null,
                new Timeouts(Duration.ofMinutes(3), Duration.ofMinutes(10)), verifiers, false);
    }

    private static List<ImageResult> run(ImageSpec spec, Function<ImageSpec, List<Step<BuildContext>>> pipeline, List<String> log) {
        EndpointBuilds.Run run = EndpointBuilds.run(endpoint.uri(), REGION, spec, pipeline,
                new ProjectInfo("com.example", "images", "1.0", tmp, tmp.resolve("target")));
        log.addAll(run.log());
        return List.of(run.result());
    }

    @Test
    void aProvisionedChangeIsInTheCandidateAndNotInTheSource() {
        AccountState account = endpoint.account("AKIDVMBACKED");
        account.config().allDelays(Duration.ofMillis(200)).vm(true, 2222);
        String sourceAmi = account.seedImage(new AccountState.ImageSeed(REGION, "debian-12-base")
                .ownerId("self").disk(baseImage.toString()));
        System.setProperty("aws.accessKeyId", "AKIDVMBACKED");
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
        CommandVerifier markerPresent = new CommandVerifier(List.of(new CommandVerifier.FileCheck(MARKER, true, null,
                "root", Pattern.compile("made-on-the-ec2-path"))));
        List<String> log = Collections.synchronizedList(new ArrayList<>());

        // package: builder VM from the source AMI, provisioned over SSH, stopped, its disk captured
        ImageResult built = run(image(new SourceSpec(null, List.of("self"), "debian-12-*", Map.of(), null), List.of()),
                Pipelines::candidateBuild, log).get(0);
        assertNull(built.failure(), () -> String.join("\n", log));
        assertTrue(log.contains("[vm-backed] made-on-the-ec2-path"), log.toString());
        Views.Image candidate = account.images(REGION).stream().filter(i -> i.imageId().equals(built.imageId()))
                .findFirst().orElseThrow();
        assertEquals("available", candidate.state());
        assertEquals("candidate", candidate.tags().get("ami:status"));

        // integration-test: a test instance booted from the candidate sees the change
        List<String> testLog = Collections.synchronizedList(new ArrayList<>());
        ImageResult tested = run(image(new SourceSpec(built.imageId(), null, null, null, null), List.of(markerPresent)),
                Pipelines::candidateTest, testLog).get(0);
        assertNull(tested.failure(), () -> String.join("\n", testLog));
        VerifierReport report = tested.verifierReports().get(0);
        assertEquals(1, report.passed(), report.results().toString());

        // the same check against the source fails: the change came from the provisioning
        List<String> sourceLog = Collections.synchronizedList(new ArrayList<>());
        ImageResult fromSource = run(image(new SourceSpec(sourceAmi, null, null, null, null), List.of(markerPresent)),
                Pipelines::candidateTest, sourceLog).get(0);
        assertNull(fromSource.failure(), () -> String.join("\n", sourceLog));
        assertEquals(1, fromSource.verifierReports().get(0).failures(), fromSource.verifierReports().toString());

        // nothing of the three runs is left: instances terminated, their VMs gone
        assertEquals(List.of(), account.liveResources(REGION));
        String work = tmp.resolve("endpoint").toString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> qemus;
        do {
            qemus = ProcessHandle.allProcesses().map(h -> h.info().commandLine().orElse(""))
                    .filter(c -> c.contains("qemu-system") && c.contains(work)).toList();
        } while (!qemus.isEmpty() && System.nanoTime() < deadline && sleep());
        assertEquals(List.of(), qemus, "QEMU processes left");
    }

    private static boolean sleep() {
        try {
            Thread.sleep(500);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
