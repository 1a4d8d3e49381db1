package io.github.amimaven.provision;

import java.time.Duration;

/**
 * A provisioner with the time it may take ({@code <timeout>}): past it the pipeline stops it and everything it started.
 *
 * @param setting the POM path that raises the bound, for the message
 */
public record TimeBoundProvisioner(Provisioner provisioner, Duration timeout, String setting) implements Provisioner {

    /** Without {@code <timeout>}: long enough for any real play, short of holding a CI agent for good. */
    public static final Duration DEFAULT = Duration.ofHours(1);

    @Override
    public String describe() {
        return provisioner.describe();
    }

    @Override
    public void provision(ProvisionContext context) throws ProvisionException, InterruptedException {
        provisioner.provision(context);
    }

    /** The provisioner itself, whether bound or not. */
    public static Provisioner unwrap(Provisioner p) {
        return p instanceof TimeBoundProvisioner b ? b.provisioner() : p;
    }
}
