package io.github.amimaven.steps;

import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.model.SshAccess;
import io.github.amimaven.model.Timeouts;
import io.github.amimaven.pipeline.Step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.cleanup.BuildRegistry;
import io.github.amimaven.cleanup.OrphanSweeper;
import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.TaggedResource;
import io.github.amimaven.provision.ShellProvisioner;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.AccountState.BrokenAnswer;
import io.github.amimaven.testing.ec2.AccountState.Transition;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.EndpointAccount;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import io.github.amimaven.verify.CheckResult;
import io.github.amimaven.verify.Verifier;
import io.github.amimaven.verify.VerifierReport;

/**
 * The fault matrix: the candidate build ({@code package}) and the candidate test ({@code integration-test}) driven
 * through {@link ImageBuilds} against the EC2 test endpoint with the real SDK and a real sshd per instance, with a
 * fault injected at each step: every API call failing, a throttling storm on every call, a wait that times out,
 * and the step's own ways to fail; and, at some steps, answers that are not EC2's. The fault starts when the step starts and ends when it ends (so that what it
 * breaks is that step, and cleanup meets the API as it usually is). Each case must fail at that step with an error
 * that names the cause, report nothing left behind, and leave nothing in the account: no instance that is not
 * terminated, no key pair, no security group, no image or snapshot but the candidate under test.
 *
 * <p>A call that times out on the client may still take effect on the server afterwards (the server never heard
 * that the client gave up): what it creates then exists after the build ended. Those cases check that the next
 * build's orphan sweep removes it.</p>
 */
class FaultMatrixIT extends EndpointTest {

    /** The endpoint's instances are real sshds. */
    @BeforeAll
    static void needsSshd() {
        RequiredTool.sshd();
    }

    static final Duration NORMAL = Duration.ofSeconds(30);
    static final Duration SHORT = Duration.ofSeconds(2);
    static final String BUILD = "package";
    static final String TEST = "integration-test";
    static final ProjectInfo PROJECT = new ProjectInfo("com.example", "images", "1.0", Path.of("."), Path.of("target"));
    @TempDir
    Path registryDir;

    /** One cell of the matrix. */
    record Case(String pipeline, String step, String fault, Consumer<AccountState.Config> atStep,
            Consumer<AccountState.Config> before, String error, Timeouts timeouts, Duration sshTimeout,
            int scriptExit, boolean verifierCrashes, Duration attemptTimeout) {

        Case(String pipeline, String step, String fault, Consumer<AccountState.Config> atStep, String error) {
            this(pipeline, step, fault, atStep, c -> { }, error, new Timeouts(NORMAL, NORMAL), NORMAL, 0, false, null);
        }

        Case timeouts(Duration instance, Duration image) {
            return new Case(pipeline, step, fault, atStep, before, error, new Timeouts(instance, image), sshTimeout,
                    scriptExit, verifierCrashes, attemptTimeout);
        }

        Case before(Consumer<AccountState.Config> b, Duration ssh) {
            return new Case(pipeline, step, fault, atStep, b, error, timeouts, ssh, scriptExit, verifierCrashes, attemptTimeout);
        }

        Case scriptExits(int code) {
            return new Case(pipeline, step, fault, atStep, before, error, timeouts, sshTimeout, code, verifierCrashes, attemptTimeout);
        }

        Case withCrashingVerifier() {
            return new Case(pipeline, step, fault, atStep, before, error, timeouts, sshTimeout, scriptExit, true, attemptTimeout);
        }

        Case attemptTimeout(Duration t) {
            return new Case(pipeline, step, fault, atStep, before, error, timeouts, sshTimeout, scriptExit, verifierCrashes, t);
        }

        @Override
        public String toString() {
            return pipeline + " / " + step + " / " + fault;
        }
    }

    static final Consumer<AccountState.Config> API_ERROR = c -> c.fail("*", "InternalError",
            "We encountered an internal error. Please try again.", 500, 0);
    static final Consumer<AccountState.Config> STORM = c -> c.throttle(1.0, 7);

    static Consumer<AccountState.Config> failing(String action) {
        return c -> c.fail(action, "InternalError", "We encountered an internal error. Please try again.", 500, 0);
    }

    static Stream<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        for (String pipeline : List.of(BUILD, TEST)) {
            String launch = pipeline.equals(BUILD) ? "Launching builder" : "Launching test instance";
            for (String step : List.of("Resolving source image", "Preparing SSH key", "Creating temporary security group", launch)) {
                cases.add(new Case(pipeline, step, "every API call fails", API_ERROR, "InternalError"));
                cases.add(new Case(pipeline, step, "throttling storm", STORM, "RequestLimitExceeded"));
            }
            cases.add(new Case(pipeline, "Creating temporary security group", "ingress rule refused",
                    failing("AuthorizeSecurityGroupIngress"), "AuthorizeSecurityGroupIngress"));
            cases.add(new Case(pipeline, launch, "polling the instance fails", failing("DescribeInstances"), "InternalError"));
            cases.add(new Case(pipeline, launch, "instance wait times out",
                    c -> c.delay(Transition.INSTANCE_PENDING, Duration.ofSeconds(6)), "<timeouts><instance>").timeouts(SHORT, NORMAL));
            cases.add(new Case(pipeline, "Waiting for SSH", "sshd never answers", c -> { }, "over SSH within")
                    .before(c -> c.ssh(false, 2222), Duration.ofSeconds(3)));
            cases.add(new Case(pipeline, "Preparing SSH key", "the call times out and lands late",
                    c -> c.latency("ImportKeyPair", Duration.ofMillis(1500)), "ImportKeyPair").attemptTimeout(Duration.ofSeconds(1)));
            cases.add(new Case(pipeline, "Creating temporary security group", "the call times out and lands late",
                    c -> c.latency("CreateSecurityGroup", Duration.ofMillis(1500)), "CreateSecurityGroup")
                    .attemptTimeout(Duration.ofSeconds(1)));
        }
        cases.add(new Case(BUILD, "Provisioning", "the script fails", c -> { }, "exited with 3").scriptExits(3));
        for (String step : List.of("Stopping builder", "Creating candidate image")) {
            cases.add(new Case(BUILD, step, "every API call fails", API_ERROR, "InternalError"));
            cases.add(new Case(BUILD, step, "throttling storm", STORM, "RequestLimitExceeded"));
        }
        cases.add(new Case(BUILD, "Stopping builder", "stop wait times out",
                c -> c.delay(Transition.INSTANCE_STOPPING, Duration.ofSeconds(6)), "<timeouts><instance>").timeouts(SHORT, NORMAL));
        cases.add(new Case(BUILD, "Creating candidate image", "polling the image fails", failing("DescribeImages"), "InternalError"));
        cases.add(new Case(BUILD, "Creating candidate image", "the image fails", c -> c.imagesFail(true), "failed"));
        cases.add(new Case(BUILD, "Creating candidate image", "image wait times out",
                c -> c.delay(Transition.IMAGE_PENDING, Duration.ofSeconds(6)), "<timeouts><image>").timeouts(NORMAL, SHORT));
        cases.add(new Case(BUILD, "Creating candidate image", "marking it finished fails", failing("CreateTags"), "CreateTags"));
        cases.add(new Case(TEST, "Running verifiers", "a verifier crashes", c -> { }, "verifier crashed").withCrashingVerifier());
        return cases.stream();
    }

    /** Runs the step and has {@code fault} apply while it runs. */
    static List<Step<BuildContext>> faultDuring(List<Step<BuildContext>> steps, String title, AccountState.Config config,
            Consumer<AccountState.Config> fault) {
        List<Step<BuildContext>> out = new ArrayList<>();
        boolean found = false;
        for (Step s : steps) {
            if (!s.title().equals(title)) {
                out.add(s);
                continue;
            }
            found = true;
            out.add(new Step<BuildContext>() {
                @Override public String title() { return s.title(); }
                @Override public void run(BuildContext c) throws Exception {
                    fault.accept(config);
                    try {
                        s.run(c);
                    } finally {
                        config.clearFaults().allDelays(Duration.ofMillis(150));
                    }
                }
                @Override public void cleanup(BuildContext c) throws Exception { s.cleanup(c); }
            });
        }
        assertTrue(found, "no step '" + title + "' in " + steps.stream().map(Step::title).toList());
        return out;
    }

    static ImageSpec spec(Case k, String sourceImageId) {
        SshAccess ssh = new SshAccess(LoopbackSshd.defaultUser(), 2222, SshAccess.AddressType.PRIVATE_IP, k.sshTimeout(),
                null, null, List.of("127.0.0.0/8"), null);
        SourceSpec source = sourceImageId != null ? new SourceSpec(sourceImageId, null, null, null, null)
                : new SourceSpec(null, List.of(EndpointAccount.DISTRO_OWNER), "CentOS*", Map.of(), null);
        String script = "#!/bin/sh -e\necho provisioned\nexit " + k.scriptExit() + "\n";
        return new ImageSpec("web", "ec2", source, new LaunchOptions("t3.micro", null, List.of(), null, null, null, null, true, null),
                ssh, List.of(new ShellProvisioner("inline", script.getBytes(StandardCharsets.UTF_8), Map.of(), false, Set.of(0))),
                Map.of("Team", "platform"), ImageNamer.DEFAULT_TEMPLATE, null, k.timeouts(),
                List.of(verifier(k.verifierCrashes())), false);
    }

    /** Runs {@code true} over the test instance's SSH session; or crashes. */
    static Verifier verifier(boolean crashes) {
        return new Verifier() {
            @Override public String describe() { return "command true"; }
            @Override public VerifierReport verify(io.github.amimaven.verify.VerifyContext ctx) {
                if (crashes) {
                    throw new IllegalStateException("verifier crashed");
                }
                try {
                    int status = ctx.session().exec("true", null, null, null);
                    return new VerifierReport(describe(), List.of(status == 0 ? CheckResult.passed("command", "true", "true", 0)
                            : CheckResult.failed("command", "true", "true", "exit " + status, 0)), null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** A candidate of an earlier build, as integration-test finds it: finished, in this account. */
    static String candidate(EndpointAccount a) {
        return a.account().seedImage(new AccountState.ImageSeed(EndpointAccount.REGION, "web-20261121-101500")
                .ownerId("self").tag(TaggedResource.STATUS, "candidate").tag(TaggedResource.EXPIRES, TaggedResource.NEVER)
                .tag(TaggedResource.BUILD_ID, "bearlier").tag(TaggedResource.PROJECT, PROJECT.coordinates()));
    }

    /**
     * Answers that are not EC2's, as a proxy or load balancer in between gives them: the step fails naming the call,
     * the HTTP status and the endpoint (never "null", never a NullPointerException), and leaves nothing.
     */
    static Stream<Case> unexpectedAnswers() {
        String from = "from http://127.0.0.1:";
        return Stream.of(
                new Case(BUILD, "Creating candidate image", "CreateImage answers an HTML 500 page",
                        c -> c.brokenAnswer("CreateImage", BrokenAnswer.HTML, 500, 0),
                        "EC2 CreateImage in " + EndpointAccount.REGION + " failed: HTTP 500 " + from),
                new Case(BUILD, "Creating candidate image", "polling the image gets no answer",
                        c -> c.brokenAnswer("DescribeImages", BrokenAnswer.RESET, 0, 0), "no answer " + from),
                new Case(BUILD, "Launching builder", "every API call answers an empty 502",
                        c -> c.brokenAnswer("*", BrokenAnswer.EMPTY, 502, 0),
                        "EC2 RunInstances in " + EndpointAccount.REGION + " failed: HTTP 502 " + from));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void aFaultAtAnyStepFailsThereAndLeavesNothing(Case k) throws Exception {
        failsThereAndLeavesNothing(k);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unexpectedAnswers")
    void anUnexpectedAnswerAtAStepFailsThereAndLeavesNothing(Case k) throws Exception {
        failsThereAndLeavesNothing(k);
    }

    void failsThereAndLeavesNothing(Case k) throws Exception {
        try (EndpointAccount a = EndpointAccount.open(endpoint, "matrix", 3, k.attemptTimeout())) {
            AccountState.Config config = a.account().config().ssh(true, 2222);
            k.before().accept(config);
            String candidate = k.pipeline().equals(TEST) ? candidate(a) : null;
            ImageSpec spec = spec(k, candidate);
            Function<ImageSpec, List<Step<BuildContext>>> pipeline = k.pipeline().equals(BUILD) ? Pipelines::candidateBuild : Pipelines::candidateTest;
            BuildRegistry builds = new BuildRegistry(registryDir);
            CollectingLog log = new CollectingLog();
            String buildId = "b" + Math.abs(k.toString().hashCode());
            List<ImageResult> results = ImageBuilds.run(List.of(spec), s -> faultDuring(pipeline.apply(s), k.step(), config,
                    k.atStep()), a.provider(), log, buildId, PROJECT, 1, new RunOptions(Duration.ofHours(6), builds, false));

            ImageResult r = results.get(0);
            assertNotNull(r.failure(), k + " did not fail the build");
            assertEquals(k.step(), r.failedStep(), k + ": " + r.failure());
            assertNotNull(r.failure().getMessage(), k + ": " + r.failure());
            assertTrue(r.failure().getMessage().contains(k.error()), k + ": " + r.failure().getMessage());
            assertFalse(r.failure().getMessage().contains("null"), k + ": " + r.failure().getMessage());
            assertEquals(List.of(), r.leftovers(), k.toString());
            assertFalse(log.text().contains("LEFT BEHIND"), log.text());

            List<String> keep = new ArrayList<>();
            if (candidate != null) {
                keep.add(candidate);
                a.account().images(EndpointAccount.REGION).stream().filter(i -> i.imageId().equals(candidate))
                        .forEach(i -> keep.addAll(i.snapshotIds()));
                assertEquals(1, keep.stream().filter(candidate::equals).count());
            }
            if (k.attemptTimeout() != null) {
                // the calls the client gave up on are still being served: let them land, then sweep as the next build does
                Thread.sleep(3000);
                assertFalse(a.leftovers(keep).isEmpty(), "the late call was expected to leave something: " + k);
                OrphanSweeper.Report next = OrphanSweeper.sweep(List.of(a.platform()),
                        new OrphanSweeper.Request(PROJECT.coordinates(), false), builds, log);
                assertEquals(List.of(), next.problems());
            }
            assertEquals(List.of(), a.leftovers(keep), k.toString());
            if (candidate != null) {
                assertTrue(a.account().images(EndpointAccount.REGION).stream().anyMatch(i -> i.imageId().equals(candidate)),
                        "the candidate under test stays");
            }
        }
    }
}
