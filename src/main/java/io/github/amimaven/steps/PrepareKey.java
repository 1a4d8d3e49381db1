package io.github.amimaven.steps;

import io.github.amimaven.model.SshAccess;
import io.github.amimaven.pipeline.Step;
import java.nio.file.Files;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.remote.SshKeys;

/**
 * Makes the SSH key for this build: a fresh key pair whose private half never leaves the build machine (only
 * the public half is imported), or the user's own key pair.
 */
final class PrepareKey implements Step<BuildContext> {

    @Override
    public String title() {
        return "Preparing SSH key";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        SshAccess ssh = c.image().ssh();
        if (ssh.keyPairName() != null) {
            c.keyName = ssh.keyPairName();
            c.privateKey = Files.readAllBytes(ssh.privateKeyFile());
            Secrets.global().add(c.privateKey);
            c.log().info("using key pair " + c.keyName);
            return;
        }
        SshKeys.GeneratedKey key = SshKeys.generate("ami-maven-plugin " + c.buildId());
        c.privateKey = key.privateKeyPem();
        Secrets.global().add(c.privateKey);
        c.publicKey = key.publicKeyOpenSsh();
        String name = "ami-" + c.image().name() + "-" + c.buildId();
        c.keyName = c.platform().importKeyPair(name, key.publicKeyOpenSsh(), c.temporaryResourceTags("key"));
        c.keyIsTemporary = true;
        c.log().info("temporary key pair " + c.keyName + " (" + key.fingerprint() + ")");
    }

    @Override
    public void cleanup(BuildContext c) {
        if (c.keyIsTemporary && c.keyName != null) {
            try {
                c.platform().deleteKeyPair(c.keyName);
                c.released(c.keyName);
                c.log().info("deleted key pair " + c.keyName);
            } catch (RuntimeException e) {
                c.leftOver("key pair " + c.keyName + ": " + e.getMessage());
            }
        }
    }
}
