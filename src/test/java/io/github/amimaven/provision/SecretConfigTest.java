package io.github.amimaven.provision;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.log.Secrets;

/** Values marked secret in the POM are registered while the configuration is read, before anything runs. */
class SecretConfigTest {

    @TempDir
    Path basedir;

    final String secret = "s-" + UUID.randomUUID();

    static String masked(String value) {
        return Secrets.global().redact("value " + value);
    }

    @Test
    void shellAndPowershellSecretEnvIsRegistered() {
        Errors errors = new Errors();
        assertNotNull(new Shell().inline(List.of("echo $TOKEN")).env(Map.of("PLAIN", "visible value"))
                .secretEnv(Map.of("TOKEN", secret)).toProvisioner(new ProjectFiles(basedir, false), "<shell>[1]", errors));
        assertTrue(errors.isEmpty(), errors.messages().toString());
        assertEquals("value ****", masked(secret));
        assertEquals("value visible value", masked("visible value"));

        String other = "p-" + UUID.randomUUID();
        new Powershell().inline(List.of("Write-Output $env:TOKEN")).secretEnv(Map.of("TOKEN", other))
                .toProvisioner(new ProjectFiles(basedir, false), "<powershell>[1]", errors);
        assertEquals("value ****", masked(other));
    }

    @Test
    void aNameInBothMapsOrASecretTooShortToMaskIsRefused() {
        Errors errors = new Errors();
        new Shell().inline(List.of("true")).env(Map.of("TOKEN", "x")).secretEnv(Map.of("TOKEN", secret, "PIN", "123"))
                .toProvisioner(new ProjectFiles(basedir, false), "<shell>[1]", errors);
        assertEquals(List.of(
                "<shell>[1]/<secretEnv>/<TOKEN> is also in <env>: keep it in <secretEnv> only",
                "<shell>[1]/<secretEnv>/<PIN> is shorter than 4 characters, too short to be masked in logs: use a longer"
                        + " secret, or a plain variable if it is not one"),
                errors.messages().stream().sorted(java.util.Comparator.comparing(m -> !m.contains("TOKEN"))).toList());
    }

    @Test
    void ansibleSecretExtraVarsAndVaultPasswordsAreRegistered() throws Exception {
        Files.writeString(basedir.resolve("site.yml"), "- hosts: all\n");
        String vaultFromFile = "v-" + UUID.randomUUID();
        Files.writeString(basedir.resolve("vault.txt"), vaultFromFile + "\n");
        Errors errors = new Errors();
        assertNotNull(new Ansible().playbook("site.yml").extraVars(Map.of("app", "1.2"))
                .secretExtraVars(Map.of("db_password", secret)).vaultPasswordFile("vault.txt")
                .toProvisioner(new ProjectFiles(basedir, false), "<ansible>[1]", errors));
        assertTrue(errors.isEmpty(), errors.messages().toString());
        assertEquals("value ****", masked(secret));
        assertEquals("value ****", masked(vaultFromFile));

        String vault = "v-" + UUID.randomUUID();
        new Ansible().playbook("site.yml").vaultPassword(vault).toProvisioner(new ProjectFiles(basedir, false), "<ansible>[1]", errors);
        assertEquals("value ****", masked(vault));

        new Ansible().playbook("site.yml").extraVars(Map.of("db_password", "x")).secretExtraVars(Map.of("db_password", secret))
                .vaultPassword(vault).vaultPasswordFile("vault.txt").toProvisioner(new ProjectFiles(basedir, false), "<ansible>[1]", errors);
        assertEquals(List.of(
                "<ansible>[1]/<secretExtraVars>/<db_password> is also in <extraVars>: keep it in <secretExtraVars> only",
                "<ansible>[1]/<vaultPassword> is set together with <vaultPasswordFile>: keep one of them"),
                errors.messages());
    }
}
