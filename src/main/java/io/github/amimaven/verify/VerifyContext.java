package io.github.amimaven.verify;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;

/**
 * What a verifier works with.
 *
 * @param session   the open SSH session to the test machine, for verifiers that run over it
 * @param target    where the machine is and which key opens it, for tools run on the build machine that connect
 *                  themselves (InSpec, rspec, pytest)
 * @param workDir   a directory of this image's own under {@code target/}: key files, inputs, raw reports
 * @param log       already prefixed with the image's name; tool output goes here line by line
 * @param imageName the image's name as the POM gives it
 */
public record VerifyContext(SshSession session, SshTarget target, Path workDir, BuildLog log, String imageName) {

    public VerifyContext {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(imageName, "imageName");
    }

    /** The host keys the session saw, which tools that connect by themselves must trust and no other; none without a session. */
    public List<KnownHost> hostKeys() {
        return session == null ? List.of() : session.hostKeys();
    }
}
