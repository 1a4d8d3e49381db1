package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.github.amimaven.log.Secrets;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class Ec2ClientsTest {

    @Test
    void everyResolvedSecretKeyAndSessionTokenIsRegistered() {
        String secretKey = "sk-" + UUID.randomUUID();
        String token = "st-" + UUID.randomUUID();
        var provider = Ec2Clients.registering(StaticCredentialsProvider.create(
                AwsSessionCredentials.create("AKIAEXAMPLE", secretKey, token)));
        assertEquals(secretKey, Secrets.global().redact(secretKey), "registered when resolved, not before");
        provider.resolveCredentials();
        assertEquals("key **** token **** id AKIAEXAMPLE", Secrets.global().redact("key " + secretKey + " token " + token
                + " id AKIAEXAMPLE"), "the access key id is an identifier, not a secret");
    }
}
