package io.github.amimaven.provision;

/** One provisioning step run against a machine over SSH: a shell script, an upload, a playbook, a reboot. */
public interface Provisioner {

    /** Short description for the step's headline, e.g. {@code shell scripts/harden.sh}. */
    String describe();

    void provision(ProvisionContext context) throws ProvisionException, InterruptedException;
}
