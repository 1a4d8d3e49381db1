package io.github.amimaven.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SshKeysTest {

    private static final SshKeys.GeneratedKey KEY = SshKeys.generate("ami-build 42");

    @Test
    void privateKeyParsesBackWithJschAndMatchesThePublicKey() throws Exception {
        String pem = new String(KEY.privateKeyPem(), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pem.lines().findFirst().orElse(""));

        KeyPair parsed = KeyPair.load(new JSch(), KEY.privateKeyPem(), null);
        assertEquals(KeyPair.RSA, parsed.getKeyType());
        assertFalse(parsed.isEncrypted());
        byte[] blob = Base64.getDecoder().decode(KEY.publicKeyOpenSsh().split(" ")[1]);
        assertArrayEquals(blob, parsed.getPublicKeyBlob());
        assertEquals(KEY.fingerprint(), SshKeys.fingerprint(parsed.getPublicKeyBlob()));

        new JSch().addIdentity("build", KEY.privateKeyPem(), null, null);
    }

    @Test
    void publicKeyIsOneAuthorizedKeysLineWithTheComment() {
        String[] fields = KEY.publicKeyOpenSsh().split(" ");
        assertEquals(3, fields.length, KEY.publicKeyOpenSsh());
        assertEquals("ssh-rsa", fields[0]);
        assertEquals("ami-build-42", fields[2], "whitespace in the comment would split the line");
        assertFalse(KEY.publicKeyOpenSsh().contains("\n"));
        // 3072-bit modulus: the blob is type + exponent + ~385 bytes of modulus
        assertTrue(Base64.getDecoder().decode(fields[1]).length > 390);
    }

    @Test
    void fingerprintLooksLikeSshKeygens() {
        assertTrue(KEY.fingerprint().matches("SHA256:[A-Za-z0-9+/]{43}"), KEY.fingerprint());
        assertEquals(KEY.fingerprint(), SshKeys.fingerprint(KEY.publicKeyOpenSsh()));
        assertTrue(SshKeys.sameFingerprint(KEY.fingerprint(), KEY.fingerprint().substring(7) + "="));
    }

    @Test
    void eachBuildGetsItsOwnKeyAndToStringHidesIt() {
        SshKeys.GeneratedKey other = SshKeys.generate("other");
        assertNotEquals(KEY.fingerprint(), other.fingerprint());
        assertFalse(KEY.toString().contains("PRIVATE"));
        assertEquals("GeneratedKey[" + KEY.fingerprint() + "]", KEY.toString());
    }
}
