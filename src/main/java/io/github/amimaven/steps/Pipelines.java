package io.github.amimaven.steps;

import io.github.amimaven.deploy.CopyToAccounts;
import io.github.amimaven.deploy.CopyToRegions;
import io.github.amimaven.deploy.DeployContext;
import io.github.amimaven.deploy.DeprecateRelease;
import io.github.amimaven.deploy.PromoteCandidate;
import io.github.amimaven.deploy.PublishRelease;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.deploy.ShareRelease;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.UserDataCompletion;
import io.github.amimaven.pipeline.Step;
import java.util.ArrayList;
import java.util.List;

/** Which steps run in which phase: build, test, verify, release. */
public final class Pipelines {

    private Pipelines() {
    }

    /**
     * {@code package}: source -> (subnet and security groups chosen by filter) -> key -> firewall -> builder -> SSH -> provisioners -> stop -> candidate image.
     * Images built without SSH skip the key, firewall, SSH and provisioners: their builder is captured once its user
     * data powered it off, or after a pause and a stop. Windows images may retrieve the Administrator password before
     * the provisioners and are generalised with sysprep after them.
     */
    public static List<Step<BuildContext>> candidateBuild(ImageSpec image) {
        List<Step<BuildContext>> steps = new ArrayList<>();
        steps.add(new ResolveSource());
        if (image.launch().choosesNetworkByFilter()) {
            steps.add(new ChooseNetwork());
        }
        if (!image.usesSsh()) {
            UserDataCompletion completion = image.userDataCompletion();
            steps.add(LaunchMachine.userDataBuilder(completion));
            steps.add(new AwaitUserData(completion));
            if (!completion.waitsForShutdown()) {
                steps.add(new StopMachine());
            }
            steps.add(new CaptureImage());
            return steps;
        }
        steps.add(new PrepareKey());
        steps.add(new CreateFirewall());
        steps.add(new LaunchMachine("builder"));
        steps.add(new ConnectSsh());
        if (image.isWindows() && image.windows().getPassword()) {
            steps.add(new RetrieveWindowsPassword());
        }
        steps.add(new Provision());
        if (image.isWindows() && image.windows().sysprep()) {
            steps.add(new GeneraliseWindows());
        }
        steps.add(new StopMachine());
        steps.add(new CaptureImage());
        return steps;
    }

    /**
     * {@code integration-test}: candidate -> key -> firewall -> test instance -> SSH -> verifiers. The image's
     * source must already be the candidate ({@link ImageSpec#withSource}). Everything is removed afterwards.
     */
    public static List<Step<BuildContext>> candidateTest(ImageSpec image) {
        return candidateTest(image, false);
    }

    /**
     * As {@link #candidateTest(ImageSpec)}; with {@code keepOnFailure} a test instance whose checks failed (or whose
     * test could not run) is left running for the user to log in, instead of being terminated.
     */
    public static List<Step<BuildContext>> candidateTest(ImageSpec image, boolean keepOnFailure) {
        List<Step<BuildContext>> steps = new ArrayList<>(List.of(new ResolveSource()));
        if (image.launch().choosesNetworkByFilter()) {
            steps.add(new ChooseNetwork());
        }
        steps.addAll(List.of(new PrepareKey(), new CreateFirewall(), new LaunchMachine("test instance")));
        if (keepOnFailure) {
            steps.add(new KeepOnFailure());
        }
        steps.add(new ConnectSsh());
        steps.add(new RunVerifiers());
        return steps;
    }

    /**
     * {@code verify}: judge the test results -> tag the candidate verified, or retire it (delete it, or with
     * {@code keepFailedCandidates} tag it failed).
     */
    public static List<Step<VerdictContext>> verify(ImageSpec image, boolean keepFailedCandidates) {
        return List.of(new JudgeCandidate(image.name()), new TagOrRetireCandidate(image.name(), keepFailedCandidates));
    }

    /**
     * {@code deploy}, per image: promote -> copy to regions -> copy to accounts -> share -> publish -> deprecate, each
     * only when the image's {@code <deploy>} asks for it. Every step finds what an earlier run made before making
     * it, so a re-run resumes; a step records a failed target (a region, an account, a parameter) and goes on
     * with the others.
     */
    public static List<Step<DeployContext>> release(ReleaseSpec release) {
        List<Step<DeployContext>> steps = new ArrayList<>();
        steps.add(new PromoteCandidate());
        if (!release.regions().isEmpty()) {
            steps.add(new CopyToRegions());
        }
        if (!release.accountCopies().isEmpty()) {
            steps.add(new CopyToAccounts());
        }
        if (!release.sharing().isEmpty()) {
            steps.add(new ShareRelease());
        }
        if (!release.ssmParameters().isEmpty() || !release.launchTemplates().isEmpty()) {
            steps.add(new PublishRelease());
        }
        if (release.deprecateAfter() != null || release.deregistrationProtection()) {
            steps.add(new DeprecateRelease());
        }
        return steps;
    }
}
