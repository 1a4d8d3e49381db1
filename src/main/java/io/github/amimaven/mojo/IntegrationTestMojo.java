package io.github.amimaven.mojo;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Launches a test instance from each candidate and runs its verifiers. Not yet implemented: validates the configuration and logs.
 */
@Mojo(name = "integration-test", defaultPhase = LifecyclePhase.INTEGRATION_TEST, threadSafe = true, configurator = "ami")
public class IntegrationTestMojo extends AbstractAmiMojo {

    @Override
    public void execute() throws MojoFailureException {
        if (skip) {
            getLog().info("ami: skipped (ami.skip)");
            return;
        }
        int count = imageSpecs().size();
        getLog().info("ami:integration-test: " + count + " image(s) configured; this goal does nothing yet in this version");
    }
}
