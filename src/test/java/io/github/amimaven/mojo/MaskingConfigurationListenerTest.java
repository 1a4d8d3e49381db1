package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.codehaus.plexus.component.configurator.ConfigurationListener;
import org.junit.jupiter.api.Test;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.provision.Ansible;
import io.github.amimaven.provision.Shell;

/** What {@code mvn -X} prints of the fields Maven binds: {@code (f) name = value}. */
class MaskingConfigurationListenerTest {

    private final List<String> printed = new ArrayList<>();
    private final Secrets secrets = new Secrets();
    private final ConfigurationListener listener = new MaskingConfigurationListener(new ConfigurationListener() {
        @Override
        public void notifyFieldChangeUsingSetter(String fieldName, Object value, Object target) {
            printed.add("(s) " + fieldName + " = " + value);
        }

        @Override
        public void notifyFieldChangeUsingReflection(String fieldName, Object value, Object target) {
            printed.add("(f) " + fieldName + " = " + value);
        }
    }, secrets);

    @Test
    void aFieldMarkedSecretPrintsMaskedAndAMapKeepsItsKeys() {
        listener.notifyFieldChangeUsingReflection("vaultPassword", "vault-pass-1f3", new Ansible());
        listener.notifyFieldChangeUsingReflection("secretExtraVars", Map.of("db_password", "db-pass-77a"), new Ansible());
        listener.notifyFieldChangeUsingSetter("secretEnv", Map.of("TOKEN", "token-9c2"), new Shell());
        assertEquals(List.of("(f) vaultPassword = ****", "(f) secretExtraVars = {db_password=****}",
                "(s) secretEnv = {TOKEN=****}"), printed);
    }

    @Test
    void anyOtherValueHoldingARegisteredSecretPrintsMasked() {
        secrets.add("aws-session-token-0b5");
        listener.notifyFieldChangeUsingReflection("env", Map.of("AWS_TOKEN", "aws-session-token-0b5"), new Shell());
        listener.notifyFieldChangeUsingReflection("playbook", "site.yml", new Ansible());
        assertEquals(List.of("(f) env = {AWS_TOKEN=****}", "(f) playbook = site.yml"), printed);
    }

    @Test
    void nullStaysNullForMavensCheckOfRequiredParameters() {
        List<Object> seen = new ArrayList<>();
        new MaskingConfigurationListener(new ConfigurationListener() {
            @Override
            public void notifyFieldChangeUsingSetter(String fieldName, Object value, Object target) {
                seen.add(value);
            }

            @Override
            public void notifyFieldChangeUsingReflection(String fieldName, Object value, Object target) {
                seen.add(value);
            }
        }, secrets).notifyFieldChangeUsingReflection("vaultPassword", null, new Ansible());
        assertEquals(1, seen.size());
        assertNull(seen.get(0));
    }
}
