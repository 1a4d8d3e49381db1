package io.github.amimaven.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.Ec2TestEndpoint;
import io.github.amimaven.testing.packer.PackerBuild;

/**
 * The EC2 benchmarks: real {@code mvn deploy} runs of generated image projects (communicator none, whose user data
 * the endpoint's instances "run" by powering themselves off as soon as they run, accepted untested, so that only
 * the endpoint's waits and the plugin's own work remain) against the EC2 test endpoint with
 * scaled latencies, each in an account of its own so that its API calls can be counted; and Packer's amazon-ebs
 * builder building the same image against the same endpoint.
 */
final class Ec2Bench {

    static final String REGION = "ap-southeast-2";
    /** Release regions beyond the build region, in the order scenarios add them. */
    static final List<String> MORE_REGIONS = List.of("us-west-2", "eu-west-1", "us-east-1");
    /** The account images are shared with, by the plugin and by Packer. */
    static final String SHARE_WITH = "111122223333";
    private static final String SOURCE_OWNER = "136693071363";
    private static final String SOURCE_NAME = "debian-12-amd64-*";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    /** One measured run of the plugin or of Packer. */
    record Run(String name, int images, int regions, int threads, double throttle, Duration wall,
            Map<String, Integer> calls, int throttled, MavenRun.Result maven) {

        int totalCalls() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }

        String callsByAction() {
            return calls.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        }
    }

    private final Ec2TestEndpoint endpoint;
    private final MavenRun maven;
    private final Path work;
    private final Latencies latencies;
    private final boolean deployRegions;
    private int accounts;

    Ec2Bench(Ec2TestEndpoint endpoint, MavenRun maven, Path work, Latencies latencies, boolean deployRegions) {
        this.endpoint = endpoint;
        this.maven = maven;
        this.work = work;
        this.latencies = latencies;
        this.deployRegions = deployRegions;
    }

    boolean deployRegions() {
        return deployRegions;
    }

    Latencies latencies() {
        return latencies;
    }

    /**
     * A fresh account with the benchmark's latencies and a source image, optionally throttling a fraction of calls.
     * Its instances power themselves off as soon as they run, as the plugin's builders' user data makes them; not
     * Packer's, which stops its builder itself and whose wait for running would fail on a stopping instance.
     */
    private String account(String name, Latencies delays, double throttle) {
        return account(name, delays, throttle, true);
    }

    private String account(String name, Latencies delays, double throttle, boolean userDataPowersOff) {
        String key = "bench-" + name + "-" + (++accounts) + "-" + System.nanoTime() % 100_000;
        AccountState account = endpoint.account(key);
        account.config()
                .delay(AccountState.Transition.INSTANCE_PENDING, delays.instancePending())
                .delay(AccountState.Transition.INSTANCE_STOPPING, delays.instanceStopping())
                .delay(AccountState.Transition.INSTANCE_SHUTTING_DOWN, delays.instanceShuttingDown())
                .delay(AccountState.Transition.IMAGE_PENDING, delays.imagePending())
                .delay(AccountState.Transition.IMAGE_COPY, delays.imageCopy());
        if (throttle > 0) {
            account.config().throttle(throttle, 42);
        }
        if (userDataPowersOff) {
            account.config().guestShutdownAfter(Duration.ZERO);
        }
        account.seedImage(REGION, "debian-12-amd64-20260101-1", SOURCE_OWNER, Instant.parse("2026-01-01T00:00:00Z"));
        return key;
    }

    /** The image project: {@code images} identical images, each released in {@code regions} regions. */
    Path project(String name, int images, int regions, int threads) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        StringBuilder imageList = new StringBuilder();
        for (int i = 1; i <= images; i++) {
            imageList.append("            <image><name>img").append(i).append("</name></image>\n");
        }
        Files.writeString(dir.resolve("pom.xml"), Bench.pom(name, """
                          <region>%s</region>
                          <endpoint>%s</endpoint>
                          <threads>%d</threads>
                          <defaults>
                            <source><owners>%s</owners><name>%s</name></source>
                            <communicator>none</communicator>
                            <userData>#!/bin/sh\npoweroff</userData>
                            <verifiers/>
                            <allowUntested>true</allowUntested>
                %s          </defaults>
                          <images>
                %s          </images>
                """.formatted(REGION, endpoint.uri(), threads, SOURCE_OWNER, SOURCE_NAME, deployConfig(regions),
                imageList)));
        return dir;
    }

    private String deployConfig(int regions) {
        if (regions == 1 || !deployRegions) {
            return "";
        }
        String list = MORE_REGIONS.subList(0, regions - 1).stream()
                .map(r -> "<region>" + r + "</region>").collect(Collectors.joining());
        return "              <deploy><regions>" + list + "</regions><shareWith><accounts>" + SHARE_WITH
                + "</accounts></shareWith></deploy>\n";
    }

    /** {@code mvn deploy}: package, integration-test, verify, install, deploy. */
    Run plugin(String name, int images, int regions, int threads, double throttle) throws Exception {
        Path project = project(name, images, regions, threads);
        String key = account(name, latencies, throttle);
        MavenRun.Result result = maven.run(project, PackerBuild.awsEnvironment(key), RUN_TIMEOUT, "-B", "deploy")
                .requireSuccess("mvn deploy of " + name);
        AccountState account = endpoint.account(key);
        return new Run(name, images, regions, threads, throttle, result.wall(), account.requestCounts(),
                account.throttledCount(), result);
    }

    /** The same {@code mvn deploy} with every goal of the plugin skipped: JVM, Maven and the lifecycle alone. */
    Duration startup(String name) throws Exception {
        Path project = project(name, 1, 1, 1);
        String key = account(name, latencies, 0);
        return maven.run(project, PackerBuild.awsEnvironment(key), RUN_TIMEOUT, "-B", "-Dami.skip=true", "-Dmaven.install.skip=true", "deploy")
                .requireSuccess("mvn deploy -Dami.skip of " + name).wall();
    }

    /** {@code mvn ami:validate} of a project of {@code images} images, and the same with the plugin skipped. */
    MavenRun.Result[] validate(int images) throws Exception {
        Path project = project("validate-" + images, images, 1, 4);
        String key = account("validate", latencies, 0);
        MavenRun.Result real = maven.run(project, PackerBuild.awsEnvironment(key), RUN_TIMEOUT, "-B", "ami:validate")
                .requireSuccess("mvn ami:validate");
        MavenRun.Result skipped = maven.run(project, PackerBuild.awsEnvironment(key), RUN_TIMEOUT, "-B",
                "-Dami.skip=true", "ami:validate").requireSuccess("mvn ami:validate -Dami.skip");
        return new MavenRun.Result[] {real, skipped};
    }

    /** One build with short delays, so that the first measured run does not download Maven's plugins. */
    void warmUp() throws Exception {
        Path project = project("warm-up", 1, deployRegions ? 2 : 1, 1);
        Duration fast = Duration.ofMillis(100);
        String key = account("warm-up", new Latencies(fast, fast, fast, fast, fast), 0);
        maven.run(project, PackerBuild.awsEnvironment(key), RUN_TIMEOUT, "-B", "deploy").requireSuccess("warm-up build");
        maven.run(project, PackerBuild.awsEnvironment(key), RUN_TIMEOUT, "-B", "-Dami.skip=true", "-Dmaven.install.skip=true", "deploy")
                .requireSuccess("warm-up build with the plugin skipped");
    }

    /**
     * Packer building the same image: amazon-ebs without a communicator, copied to the same regions and shared
     * with the same account. {@code pollSeconds} 0 keeps Packer's default polling (the AWS SDK for Go's waiters,
     * every 15 s); otherwise {@code aws_polling} sets the delay.
     */
    Run packer(String name, int regions, int pollSeconds) throws Exception {
        String key = account(name, latencies, 0, false);
        String polling = pollSeconds == 0 ? ""
                : "\"aws_polling\": {\"delay_seconds\": " + pollSeconds + ", \"max_attempts\": 1000},";
        String copies = regions == 1 ? "" : "\"ami_regions\": [" + MORE_REGIONS.subList(0, regions - 1).stream()
                .map(r -> "\"" + r + "\"").collect(Collectors.joining(", ")) + "], \"ami_users\": [\"" + SHARE_WITH + "\"],";
        String template = """
                {
                  "builders": [{
                    %s
                    %s
                    %s
                    "source_ami_filter": {"filters": {"name": "%s"}, "owners": ["%s"], "most_recent": true},
                    "instance_type": "t3.micro",
                    "communicator": "none",
                    "ami_name": "img1-{{timestamp}}"
                  }]
                }
                """.formatted(PackerBuild.amazonEbsAgainst(endpoint.uri(), REGION).strip(), polling, copies, SOURCE_NAME,
                SOURCE_OWNER);
        PackerBuild.Result result = PackerBuild.run(work.resolve(name), template, PackerBuild.awsEnvironment(key),
                RUN_TIMEOUT);
        if (!result.finished() || result.exitCode() != 0) {
            throw new IllegalStateException("packer build " + name + " failed (log " + result.log() + "):\n"
                    + MavenRun.tail(result.output(), 40));
        }
        AccountState account = endpoint.account(key);
        return new Run(name, 1, regions, 1, 0, result.wall(), account.requestCounts(), account.throttledCount(), null);
    }

    /**
     * Where a one-image run's time went, from its log: the build goal's start until its first step, the time each
     * wait took beyond the endpoint's delay, and the cleanup after the candidate was available.
     */
    record Breakdown(Optional<Duration> setup, Optional<Duration> detection, Optional<Duration> cleanup) {

        static Breakdown of(MavenRun.Result r, Latencies l) {
            Optional<Duration> running = r.between("launched", "running after").map(d -> d.minus(l.instancePending()));
            Optional<Duration> stopped = r.between("==> Stopping builder", "stopped after").map(d -> d.minus(l.instanceStopping()));
            Optional<Duration> launchToStopped = running.isPresent() && stopped.isPresent()
                    ? Optional.of(running.get().plus(stopped.get()))
                    // a builder its user data powers off: one wait from launch to stopped
                    : r.between("launched", "stopped itself after").map(d -> d.minus(l.instancePending()).minus(l.instanceStopping()));
            Optional<Duration> available = r.between("pending, waiting until available", "available after")
                    .map(d -> d.minus(l.imagePending()));
            Optional<Duration> detection = launchToStopped.isEmpty() || available.isEmpty() ? Optional.empty()
                    : Optional.of(launchToStopped.get().plus(available.get()));
            return new Breakdown(r.between(":build (default-build)", "==> Resolving source image"), detection,
                    r.between("available after", "image(s) built in"));
        }
    }
}
