package io.github.amimaven.mojo;

import java.util.List;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import io.github.amimaven.log.Secrets;

/**
 * Where Maven meets {@link Secrets}: the passwords of settings.xml servers are registered before a goal runs,
 * and the exceptions a goal throws leave it masked.
 */
final class MojoSecrets {

    private MojoSecrets() {
    }

    /**
     * The servers of settings.xml, with passwords and passphrases decrypted where settings-security.xml allows
     * it (a server that cannot be decrypted keeps its stored value).
     */
    static List<Server> servers(Settings settings, SettingsDecrypter decrypter) {
        if (settings == null) {
            return List.of();
        }
        if (decrypter == null) {
            return settings.getServers();
        }
        return decrypter.decrypt(new DefaultSettingsDecryptionRequest(settings)).getServers();
    }

    /** Registers every password and passphrase of settings.xml, stored and decrypted, as a secret. */
    static void registerServers(Settings settings, SettingsDecrypter decrypter, Secrets secrets) {
        if (settings == null) {
            return;
        }
        for (Server server : settings.getServers()) {
            secrets.add(server.getPassword());
            secrets.add(server.getPassphrase());
        }
        for (Server server : servers(settings, decrypter)) {
            secrets.add(server.getPassword());
            secrets.add(server.getPassphrase());
        }
    }

    static MojoFailureException redacted(MojoFailureException e, Secrets secrets) {
        if (secrets.redact((Throwable) e) == e) {
            return e;
        }
        MojoFailureException copy = new MojoFailureException(secrets.redact(e.getMessage()), secrets.redact(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    static MojoExecutionException redacted(MojoExecutionException e, Secrets secrets) {
        if (secrets.redact((Throwable) e) == e) {
            return e;
        }
        MojoExecutionException copy = new MojoExecutionException(secrets.redact(e.getMessage()), secrets.redact(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }
}
