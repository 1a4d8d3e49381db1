package io.github.amimaven.remote;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAPrivateKeySpec;
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

    /**
     * The RSA private key of a key file in any format JSch reads (PEM {@code BEGIN RSA PRIVATE KEY}, PKCS#8,
     * OpenSSH's own), for decrypting what a cloud encrypted with the public half (EC2's Windows password).
     *
     * @throws IllegalArgumentException when the file is not an unencrypted RSA private key
     */
    public static RSAPrivateKey rsaPrivateKey(byte[] keyFile) {
        KeyPair pair;
        try {
            pair = KeyPair.load(new JSch(), keyFile, null);
        } catch (JSchException e) {
            throw new IllegalArgumentException("not a private key JSch can read: " + e.getMessage());
        }
        try {
            if (pair.getKeyType() != KeyPair.RSA) {
                throw new IllegalArgumentException("the key is " + pair.getKeyTypeString() + ", not RSA");
            }
            if (pair.isEncrypted()) {
                throw new IllegalArgumentException("the key is encrypted with a passphrase");
            }
            return fromAgentBlob(pair.forSSHAgent());
        } catch (JSchException e) {
            throw new IllegalArgumentException("the RSA key cannot be read: " + e.getMessage());
        } finally {
            pair.dispose();
        }
    }

    /** From ssh-agent's wire format of an RSA key: string "ssh-rsa", mpint n, e, d, iqmp, p, q, string comment. */
    private static RSAPrivateKey fromAgentBlob(byte[] agentBlob) {
        try {
            ByteBuffer agent = ByteBuffer.wrap(agentBlob);
            readString(agent);
            BigInteger n = new BigInteger(readString(agent));
            readString(agent);
            BigInteger d = new BigInteger(readString(agent));
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(n, d));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("the RSA key cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] readString(ByteBuffer b) {
        byte[] value = new byte[b.getInt()];
        b.get(value);
        return value;
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

    /** True when {@code actual} is one of the fingerprints in {@code expected}, separated by spaces or commas. */
    static boolean anyFingerprint(String expected, String actual) {
        for (String one : expected.split("[\\s,]+")) {
            if (!one.isEmpty() && sameFingerprint(one, actual)) {
                return true;
            }
        }
        return false;
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
