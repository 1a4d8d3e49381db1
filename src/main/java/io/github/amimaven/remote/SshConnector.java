package io.github.amimaven.remote;

import java.time.Duration;

import io.github.amimaven.log.BuildLog;

/** Opens SSH sessions; {@link Ssh#connect} in production, a stand-in where a test wants no network. */
@FunctionalInterface
public interface SshConnector {

    SshConnector DEFAULT = Ssh::connect;

    SshSession connect(SshTarget target, Duration timeout, BuildLog log) throws SshException, InterruptedException;
}
