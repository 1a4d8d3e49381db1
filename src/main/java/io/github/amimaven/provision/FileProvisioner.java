package io.github.amimaven.provision;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.amimaven.remote.SshException;

/** Uploads a file, or a directory's contents, to the machine. */
public final class FileProvisioner implements Provisioner {

    private final String label;
    private final Path source;
    private final String destination;
    private final Integer mode;

    /**
     * @param label the source as the user wrote it, for the log
     * @param mode  the uploaded files' mode; null keeps each file's local mode
     */
    public FileProvisioner(String label, Path source, String destination, Integer mode) {
        this.label = label;
        this.source = source;
        this.destination = destination;
        this.mode = mode;
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
            context.session().upload(source, destination, mode);
        } catch (SshException e) {
            throw new ProvisionException(describe() + " failed: " + e.getMessage(), e);
        }
        context.log().info("uploaded " + label + " to " + destination);
    }
}
