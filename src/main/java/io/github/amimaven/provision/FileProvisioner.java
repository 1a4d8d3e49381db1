package io.github.amimaven.provision;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.amimaven.remote.SshException;

/** Uploads a file, or a directory's contents, to the machine. */
public final class FileProvisioner implements Provisioner {

    private final String label;
    private final Path source;
    private final String destination;

    /** @param label the source as the user wrote it, for the log */
    public FileProvisioner(String label, Path source, String destination) {
        this.label = label;
        this.source = source;
        this.destination = destination;
    }

    @Override
    public String describe() {
        return "file " + label + " -> " + destination;
    }

    @Override
    public void provision(ProvisionContext context) throws ProvisionException {
        if (!Files.exists(source)) {
            throw new ProvisionException("file provisioner: " + source + " no longer exists");
        }
        try {
            context.session().upload(source, destination);
        } catch (SshException e) {
            throw new ProvisionException(describe() + " failed: " + e.getMessage(), e);
        }
        context.log().info("uploaded " + label + " to " + destination);
    }
}
