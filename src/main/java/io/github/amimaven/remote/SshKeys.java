package io.github.amimaven.remote;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Per-build key pairs and the fingerprints OpenSSH shows for keys. */
public final class SshKeys {

    private SshKeys() {
    }

    /**
     * A key pair generated for one build.
     *
     * @param privateKeyPem    traditional PEM ({@code BEGIN RSA PRIVATE KEY}), readable by JSch and OpenSSH
     * @param publicKeyOpenSsh one {@code authorized_keys} line: {@code ssh-rsa AAAA... comment}
     * @param fingerprint      {@code SHA256:...} as {@code ssh-keygen -l} prints it
     */
    public record GeneratedKey(byte[] privateKeyPem, String publicKeyOpenSsh, String fingerprint) {

        @Override
        public String toString() {
            // keeps the private key out of logs and exception messages
            return "GeneratedKey[" + fingerprint + "]";
        }
    }

    /** Generates an RSA 3072 key pair: RSA because every cloud's key import and every sshd accept it. */
    public static GeneratedKey generate(String comment) {
        KeyPair pair;
        try {
            pair = KeyPair.genKeyPair(new JSch(), KeyPair.RSA, 3072);
        } catch (JSchException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
        try {
            ByteArrayOutputStream privateKey = new ByteArrayOutputStream();
            pair.writePrivateKey(privateKey);
            ByteArrayOutputStream publicKey = new ByteArrayOutputStream();
            pair.writePublicKey(publicKey, comment == null ? "" : comment.replaceAll("\\s+", "-"));
            return new GeneratedKey(privateKey.toByteArray(),
                    publicKey.toString(StandardCharsets.US_ASCII).strip(),
                    fingerprint(pair.getPublicKeyBlob()));
        } finally {
            pair.dispose();
        }
    }

    /** The {@code SHA256:...} fingerprint of a public key blob (the SSH wire format of the key). */
    public static String fingerprint(byte[] publicKeyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKeyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The fingerprint of an OpenSSH public key line ({@code type base64 [comment]}), e.g. a host's .pub file. */
    public static String fingerprint(String publicKeyOpenSsh) {
        String[] fields = publicKeyOpenSsh.strip().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line");
        }
        return fingerprint(Base64.getDecoder().decode(fields[1]));
    }

    /** Compares fingerprints the way people copy them: with or without the prefix and base64 padding. */
    static boolean sameFingerprint(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String fingerprint) {
        String f = fingerprint.strip();
        if (f.regionMatches(true, 0, "SHA256:", 0, 7)) {
            f = f.substring(7);
        }
        while (f.endsWith("=")) {
            f = f.substring(0, f.length() - 1);
        }
        return f;
    }
}
