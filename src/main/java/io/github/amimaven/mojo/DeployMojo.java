package io.github.amimaven.mojo;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Promotes verified candidates and distributes them. Not yet implemented: validates the configuration and logs.
 */
@Mojo(name = "deploy", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true, configurator = "ami")
public class DeployMojo extends AbstractAmiMojo {

    @Override
    public void execute() throws MojoFailureException {
        validateOnly("deploy");
    }
}
