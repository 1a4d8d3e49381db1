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
        validateOnly("integration-test");
    }
}
