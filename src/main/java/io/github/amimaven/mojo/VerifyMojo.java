package io.github.amimaven.mojo;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Fails the build when any image failed its checks. Not yet implemented: validates the configuration and logs.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, configurator = "ami")
public class VerifyMojo extends AbstractAmiMojo {

    @Override
    public void execute() throws MojoFailureException {
        validateOnly("verify");
    }
}
