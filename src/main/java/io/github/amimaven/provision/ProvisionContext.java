package io.github.amimaven.provision;

import io.github.amimaven.log.BuildLog;
import io.github.amimaven.remote.SshSession;

/**
 * What a provisioner works with.
 *
 * @param log already prefixed with the image's name
 * @param workId unique per build and step, for naming temporary files on the machine
 */
public record ProvisionContext(SshSession session, BuildLog log, String workId) {
}
