package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.remote.SshKeys;

/**
 * Decrypting EC2's Windows password data (RSA, PKCS#1 v1.5) with the key files a build may hold: the temporary
 * key's PEM, PKCS#8, OpenSSH's own format; and the errors for keys that cannot decrypt it.
 */
class WindowsPasswordTest {

    static final String PASSWORD = "Xy$'k;9(=)Q.@&%*?";

    @TempDir
    Path dir;

    /** As EC2 does it, with the public half. */
    static String encrypt(String password, PublicKey publicKey) throws Exception {
        Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
        rsa.init(Cipher.ENCRYPT_MODE, publicKey);
        return Base64.getMimeEncoder().encodeToString(rsa.doFinal(password.getBytes(StandardCharsets.UTF_8)));
    }

    /** The public key of a private key with the exponent every key generator here uses. */
    static PublicKey publicHalf(byte[] privateKeyFile) throws Exception {
        RSAPrivateKey key = SshKeys.rsaPrivateKey(privateKeyFile);
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(key.getModulus(), BigInteger.valueOf(65537)));
    }

    @Test
    void theTemporaryKeysPemDecryptsWhatItsPublicHalfEncrypted() throws Exception {
        byte[] pem = SshKeys.generate("t").privateKeyPem();
        assertTrue(new String(pem, StandardCharsets.US_ASCII).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals(PASSWORD, Ec2Instances.decryptPassword(encrypt(PASSWORD, publicHalf(pem)), pem));
    }

    @Test
    void pkcs8AndOpenSshKeyFilesWorkToo() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        java.security.KeyPair pair = generator.generateKeyPair();
        byte[] pkcs8 = ("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(PASSWORD, Ec2Instances.decryptPassword(encrypt(PASSWORD, pair.getPublic()), pkcs8));

        Path key = dir.resolve("id_rsa");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(p.getInputStream().readAllBytes()));
        byte[] openssh = Files.readAllBytes(key);
        assertTrue(new String(openssh, StandardCharsets.US_ASCII).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        assertEquals(PASSWORD, Ec2Instances.decryptPassword(encrypt(PASSWORD, publicHalf(openssh)), openssh));
    }

    @Test
    void theWrongKeyFailsWithoutRevealingAnything() throws Exception {
        byte[] right = SshKeys.generate("right").privateKeyPem();
        byte[] wrong = SshKeys.generate("wrong").privateKeyPem();
        String data = encrypt(PASSWORD, publicHalf(right));
        PlatformException e = assertThrows(PlatformException.class, () -> Ec2Instances.decryptPassword(data, wrong));
        assertTrue(e.isUserError());
        assertTrue(e.getMessage().contains("is <ssh><privateKeyFile> the private key of <ssh><keyPairName>?"), e.getMessage());
        assertFalse(e.getMessage().contains(data.substring(0, 20)), e.getMessage());
    }

    @Test
    void anEd25519KeyIsNamedAsTheReason() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0);
        PlatformException e = assertThrows(PlatformException.class,
                () -> Ec2Instances.decryptPassword("AAAA", Files.readAllBytes(key)));
        assertTrue(e.getMessage().startsWith("the Windows password cannot be decrypted with the build's key (the key is ssh-ed25519, "
                + "not RSA): EC2 encrypts it for RSA key pairs only"), e.getMessage());
    }
}
