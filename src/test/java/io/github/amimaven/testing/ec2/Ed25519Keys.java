package io.github.amimaven.testing.ec2;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Ed25519 key pairs in the shape EC2 returns them: the private key in OpenSSH's own format ("BEGIN OPENSSH
 * PRIVATE KEY"), which JSch cannot write, so it is assembled here from the JDK's key.
 */
final class Ed25519Keys {

    private Ed25519Keys() {
    }

    /** {private key PEM, OpenSSH public key line}. */
    static String[] generate(String comment) {
        try {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = kp.getPublic().getEncoded();
            // the X.509 encoding of an Ed25519 key ends with the 32 raw public key bytes
            byte[] pub = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            byte[] seed = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElseThrow();

            byte[] publicBlob = blob(out -> {
                string(out, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
                string(out, pub);
            });
            int check = new SecureRandom().nextInt();
            byte[] privateSection = blob(out -> {
                out.writeInt(check);
                out.writeInt(check);
                string(out, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
                string(out, pub);
                byte[] both = new byte[64];
                System.arraycopy(seed, 0, both, 0, 32);
                System.arraycopy(pub, 0, both, 32, 32);
                string(out, both);
                string(out, comment.getBytes(StandardCharsets.UTF_8));
                for (int pad = 1; out.size() % 8 != 0; pad++) {
                    out.write(pad);
                }
            });
            byte[] file = blob(out -> {
                out.write("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
                string(out, "none".getBytes(StandardCharsets.US_ASCII));
                string(out, "none".getBytes(StandardCharsets.US_ASCII));
                string(out, new byte[0]);
                out.writeInt(1);
                string(out, publicBlob);
                string(out, privateSection);
            });
            String body = Base64.getMimeEncoder(70, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(file);
            String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----";
            String line = "ssh-ed25519 " + Base64.getEncoder().encodeToString(publicBlob) + " " + comment;
            return new String[] {pem, line};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] blob(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
