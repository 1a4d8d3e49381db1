package io.github.amimaven.pipeline;

import java.util.List;
import java.util.Map;

import io.github.amimaven.platform.SourceSpec;
import io.github.amimaven.provision.Provisioner;

/**
 * One image definition, validated and resolved: what the pipeline builds. Built from the POM by the config
 * package, or directly by tests.
 *
 * @param ssh how to reach the machine; null for communicator none (images built from user data alone)
 * @param nameTemplate the image name template, e.g. {@code {name}-{timestamp}}
 */
public record ImageSpec(String name, String platform, SourceSpec source, LaunchOptions launch, SshAccess ssh,
        List<Provisioner> provisioners, Map<String, String> tags, String nameTemplate, String description,
        Timeouts timeouts) {

    public ImageSpec {
        provisioners = List.copyOf(provisioners);
        tags = Map.copyOf(tags);
    }

    public boolean usesSsh() {
        return ssh != null;
    }
}
