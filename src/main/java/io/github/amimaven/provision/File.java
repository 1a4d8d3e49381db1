package io.github.amimaven.provision;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.nio.file.Files;
import java.nio.file.Path;


/** {@code <file>}: uploads a file, or a directory's contents, to the machine. */
public class File extends ProvisionerConfig {

    /** Local file or directory, relative to the project directory. */
    private String source;

    /** Absolute path on the machine. For a directory source, the directory its contents go into. */
    private String destination;

    /** The uploaded files' mode on the machine, octal (e.g. {@code 0640}). Default: each file's local mode. */
    private String mode;

    public File source(String v) { source = v; return this; }
    public File destination(String v) { destination = v; return this; }

    @Override
    String element() {
        return "file";
    }

    @Override
    Provisioner toProvisioner(ProjectFiles files, String at, Errors errors) {
        Path local = null;
        if (source == null || source.isBlank()) {
            errors.add(at + "/<source>", "is missing", "name a file or directory relative to the project directory");
        } else {
            local = files.file(source, at + "/<source>", errors);
            if (local != null && !Files.isReadable(local)) {
                errors.add(at + "/<source>", "'" + source + "' cannot be read (" + local + ")",
                        "check the path; it is relative to the project directory " + files.basedir());
            }
        }
        if (destination == null || destination.isBlank()) {
            errors.add(at + "/<destination>", "is missing", "give an absolute path on the machine, e.g. /tmp/motd");
        } else {
            ProjectFiles.remotePath(destination, at + "/<destination>", errors);
        }
        Integer fileMode = null;
        if (mode != null) {
            if (mode.trim().matches("0?[0-7]{3}")) {
                fileMode = Integer.parseInt(mode.trim(), 8);
            } else {
                errors.add(at + "/<mode>", "'" + mode + "' is not a file mode", "write it in octal, e.g. 0640 or 0755");
                return null;
            }
        }
        return local == null || destination == null ? null : new FileProvisioner(source, local, destination, fileMode);
    }
}
