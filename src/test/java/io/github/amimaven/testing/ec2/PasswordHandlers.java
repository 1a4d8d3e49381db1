package io.github.amimaven.testing.ec2;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Cipher;

/**
 * GetPasswordData as EC2 answers it for Windows instances: an empty {@code passwordData} until EC2Launch has
 * "set" the Administrator password at first boot (the account's {@link AccountState.Transition#WINDOWS_PASSWORD}
 * delay after the instance first ran), then a generated password encrypted with the launch key pair's RSA public
 * key (PKCS#1 v1.5) and base64-encoded. Instances of Linux images, and instances without an RSA key, get an empty
 * answer forever, as in EC2.
 */
final class PasswordHandlers {

    /** Letters, digits and the punctuation EC2's generated passwords contain, a quote among them. */
    private static final String ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789%$@&*()=?;.'";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("GetPasswordData", PasswordHandlers::getPasswordData);
    }

    private static void getPasswordData(Call c, Xml out) {
        Resources.Instance i = c.region.instance(c.params.required("InstanceId"));
        out.el("instanceId", i.id).el("timestamp", Instant.now()).el("passwordData", passwordData(c.account, i));
    }

    private static String passwordData(AccountState account, Resources.Instance i) {
        if (i.windowsPasswordData != null) {
            return i.windowsPasswordData;
        }
        boolean posted = "windows".equals(i.platform) && i.runningSince != null && i.authorizedKey != null
                && i.authorizedKey.startsWith("ssh-rsa ")
                && !Instant.now().isBefore(i.runningSince.plus(account.config().delay(AccountState.Transition.WINDOWS_PASSWORD)));
        if (!posted) {
            return "";
        }
        StringBuilder password = new StringBuilder();
        for (int n = 0; n < 32; n++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        i.windowsPassword = password.toString();
        i.windowsPasswordData = encrypt(i.windowsPassword, i.authorizedKey);
        return i.windowsPasswordData;
    }

    /** RSA PKCS#1 v1.5 with the public key of an OpenSSH {@code ssh-rsa} line, base64: EC2's PasswordData. */
    static String encrypt(String password, String publicKeyLine) {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.ENCRYPT_MODE, rsaPublicKey(publicKeyLine));
            return Base64.getEncoder().encodeToString(rsa.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new Ec2Error("InternalError", "password encryption failed: " + e, 500);
        }
    }

    /** The key blob of {@code ssh-rsa AAAA…}: string "ssh-rsa", mpint e, mpint n. */
    private static PublicKey rsaPublicKey(String publicKeyLine) throws GeneralSecurityException {
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(publicKeyLine.split("\\s+")[1]));
        mpint(blob);
        BigInteger e = new BigInteger(mpint(blob));
        BigInteger n = new BigInteger(mpint(blob));
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    }

    private static byte[] mpint(ByteBuffer b) {
        byte[] value = new byte[b.getInt()];
        b.get(value);
        return value;
    }
}
