package io.github.amimaven.mojo;

import java.util.List;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.Platforms;

/**
 * Checks the whole image configuration, and that AWS credentials can be found, without any cloud call. Lists
 * every problem at once, each with the POM path of its field and the fix.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true, configurator = "ami")
public class ValidateMojo extends AbstractAmiMojo {

    @Override
    protected void run() throws MojoFailureException {
        List<ImageSpec> specs = definitions().specs();
        specs.forEach(spec -> spec.sshOpenToTheWorld().ifPresent(buildLog()::warn));
        specs.forEach(spec -> spec.hostKeysLeftUnchecked().ifPresent(buildLog()::warn));
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(specs);
        }
        getLog().info("ami: configuration of " + specs.size() + " image(s) is valid: "
                + String.join(", ", specs.stream().map(s -> s.name() + " (" + s.platform() + ")").toList()));
    }
}
