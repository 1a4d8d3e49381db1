package io.github.amimaven.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Which steps run in which phase. */
public final class Pipelines {

    private Pipelines() {
    }

    /**
     * {@code package}: source -> key -> firewall -> builder -> SSH -> provisioners -> stop -> candidate image.
     * Images built without SSH skip the key, firewall, SSH and provisioners.
     */
    public static List<Step> candidateBuild(ImageSpec image) {
        List<Step> steps = new ArrayList<>();
        steps.add(new ResolveSource());
        if (image.usesSsh()) {
            steps.add(new PrepareKey());
            steps.add(new CreateFirewall());
        }
        steps.add(new LaunchMachine("builder"));
        if (image.usesSsh()) {
            steps.add(new ConnectSsh());
            steps.add(new Provision());
        }
        steps.add(new StopMachine());
        steps.add(new CaptureImage());
        return steps;
    }
}
