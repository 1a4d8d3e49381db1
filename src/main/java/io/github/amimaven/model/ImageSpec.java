package io.github.amimaven.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.provision.Provisioner;
import io.github.amimaven.verify.Verifier;

/**
 * One image definition, validated and resolved: what the pipeline builds. Built from the POM by the config
 * package, or directly by tests.
 *
 * @param ssh how to reach the machine; null for communicator none (images built from user data alone)
 * @param nameTemplate the image name template, e.g. {@code {name}-{timestamp}}
 * @param windows how a Windows image is built; null for Linux images
 * @param userDataCompletion how the build knows the user data of an image without SSH is done; null means
 *        {@link UserDataCompletion#SHUTDOWN} for such an image, and it is always null for an image with SSH
 */
public record ImageSpec(String name, String platform, SourceSpec source, LaunchOptions launch, SshAccess ssh,
        List<Provisioner> provisioners, Map<String, String> tags, String nameTemplate, String description,
        Timeouts timeouts, List<Verifier> verifiers, boolean allowUntested, WindowsOptions windows,
        UserDataCompletion userDataCompletion) {

    public ImageSpec {
        provisioners = List.copyOf(provisioners);
        tags = Map.copyOf(tags);
        verifiers = verifiers == null ? List.of() : List.copyOf(verifiers);
        userDataCompletion = ssh != null ? null : userDataCompletion == null ? UserDataCompletion.SHUTDOWN : userDataCompletion;
    }

    /** An image built the default way for its communicator. */
    public ImageSpec(String name, String platform, SourceSpec source, LaunchOptions launch, SshAccess ssh,
            List<Provisioner> provisioners, Map<String, String> tags, String nameTemplate, String description,
            Timeouts timeouts, List<Verifier> verifiers, boolean allowUntested, WindowsOptions windows) {
        this(name, platform, source, launch, ssh, provisioners, tags, nameTemplate, description, timeouts, verifiers,
                allowUntested, windows, null);
    }

    /** A Linux image. */
    public ImageSpec(String name, String platform, SourceSpec source, LaunchOptions launch, SshAccess ssh,
            List<Provisioner> provisioners, Map<String, String> tags, String nameTemplate, String description,
            Timeouts timeouts, List<Verifier> verifiers, boolean allowUntested) {
        this(name, platform, source, launch, ssh, provisioners, tags, nameTemplate, description, timeouts, verifiers,
                allowUntested, null);
    }

    /** A Linux image with no checks. */
    public ImageSpec(String name, String platform, SourceSpec source, LaunchOptions launch, SshAccess ssh,
            List<Provisioner> provisioners, Map<String, String> tags, String nameTemplate, String description,
            Timeouts timeouts) {
        this(name, platform, source, launch, ssh, provisioners, tags, nameTemplate, description, timeouts, List.of(), false);
    }

    /**
     * The warning that the builder's temporary firewall admits SSH from every address: {@code <allowedCidrs>} has a
     * CIDR of prefix length 0 ({@code 0.0.0.0/0}, {@code ::/0}) and no {@code <securityGroupIds>} replace it. Allowed,
     * since a user may mean it, but said loudly.
     */
    public Optional<String> sshOpenToTheWorld() {
        if (ssh == null || !launch.securityGroupIds().isEmpty()) {
            return Optional.empty();
        }
        List<String> open = ssh.allowedCidrs().stream().filter(cidr -> cidr.endsWith("/0")).toList();
        return open.isEmpty() ? Optional.empty() : Optional.of("image " + name + ": <ssh><allowedCidrs> "
                + String.join(", ", open) + " opens the builder's SSH port " + ssh.port() + " to the WHOLE INTERNET"
                + " while it runs; unless you mean it, list only the build machine's addresses, e.g. 203.0.113.7/32");
    }

    /**
     * The warning that {@code <strictHostKeys>} does not cover every verifier: a tool that takes no known_hosts (InSpec)
     * connects to the test machine with host key checking off.
     */
    public Optional<String> hostKeysLeftUnchecked() {
        if (ssh == null || !ssh.strictHostKeys()) {
            return Optional.empty();
        }
        List<String> unchecked = verifiers.stream().filter(v -> !v.checksHostKey()).map(Verifier::describe).toList();
        return unchecked.isEmpty() ? Optional.empty() : Optional.of("image " + name + ": <ssh><strictHostKeys> is on, but "
                + String.join(", ", unchecked) + " connects to the test machine with host key checking off: InSpec's SSH"
                + " transport takes no known_hosts. Use a verifier that checks the key (testinfra, serverspec, command)"
                + " where an impostor on the network is a concern");
    }

    /** The same image started from another source: how the test phase boots the candidate. */
    public ImageSpec withSource(SourceSpec other) {
        return new ImageSpec(name, platform, other, launch, ssh, provisioners, tags, nameTemplate, description, timeouts,
                verifiers, allowUntested, windows, userDataCompletion);
    }

    public boolean usesSsh() {
        return ssh != null;
    }

    public boolean isWindows() {
        return windows != null;
    }

    /** {@code linux} or {@code windows}, as {@code <os>} names it. */
    public String os() {
        return isWindows() ? "windows" : "linux";
    }
}
