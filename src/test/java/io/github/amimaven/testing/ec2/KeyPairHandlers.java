package io.github.amimaven.testing.ec2;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Key pairs. CreateKeyPair generates a real key, so that in SSH mode an instance's sshd accepts exactly the
 * private key the caller was given.
 */
final class KeyPairHandlers {

    private KeyPairHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("CreateKeyPair", KeyPairHandlers::createKeyPair);
        h.put("ImportKeyPair", KeyPairHandlers::importKeyPair);
        h.put("DeleteKeyPair", KeyPairHandlers::deleteKeyPair);
        h.put("DescribeKeyPairs", KeyPairHandlers::describeKeyPairs);
    }

    private static String checkNewName(Call c, String name) {
        if (name.length() > 255) {
            throw Ec2Error.invalidValue("Key pair names must be at most 255 characters");
        }
        if (c.region.keyPairs.containsKey(name)) {
            throw Ec2Error.of("InvalidKeyPair.Duplicate", "The keypair '" + name + "' already exists.");
        }
        return name;
    }

    private static void createKeyPair(Call c, Xml out) {
        String name = checkNewName(c, c.params.required("KeyName"));
        String type = c.params.get("KeyType", "rsa");
        if (!Set.of("rsa", "ed25519").contains(type)) {
            throw Ec2Error.invalidValue("Value (" + type + ") for parameter keyType is invalid.");
        }
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(c.params, Set.of("key-pair"));
        String[] generated = "rsa".equals(type) ? rsa(name) : Ed25519Keys.generate(name);
        String privateKey = generated[0];
        String publicKey = generated[1];
        Resources.KeyPair k = store(c, name, publicKey, type, tags.getOrDefault("key-pair", Map.of()));
        out.el("keyName", k.name).el("keyFingerprint", k.fingerprint).el("keyMaterial", privateKey)
                .el("keyPairId", k.id).tagSet(k.tags);
    }

    /** An RSA key as EC2 hands it out: PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"), plus its OpenSSH public line. */
    private static String[] rsa(String comment) {
        try {
            com.jcraft.jsch.KeyPair kp = com.jcraft.jsch.KeyPair.genKeyPair(new JSch(), com.jcraft.jsch.KeyPair.RSA, 2048);
            ByteArrayOutputStream priv = new ByteArrayOutputStream();
            kp.writePrivateKey(priv);
            ByteArrayOutputStream pub = new ByteArrayOutputStream();
            kp.writePublicKey(pub, comment);
            kp.dispose();
            return new String[] {priv.toString(StandardCharsets.US_ASCII).trim(), pub.toString(StandardCharsets.US_ASCII).trim()};
        } catch (JSchException e) {
            throw new Ec2Error("InternalError", "key generation failed: " + e.getMessage(), 500);
        }
    }

    private static void importKeyPair(Call c, Xml out) {
        String name = checkNewName(c, c.params.required("KeyName"));
        String material = c.params.required("PublicKeyMaterial");
        String line;
        try {
            line = new String(Base64.getMimeDecoder().decode(material), StandardCharsets.UTF_8).trim();
        } catch (IllegalArgumentException notBase64) {
            line = material.trim(); // tolerated: a client that sent the line itself
        }
        String[] parts = line.split("\\s+");
        if (parts.length < 2 || !parts[0].matches("ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(256|384|521)")) {
            throw Ec2Error.of("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        }
        try {
            Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw Ec2Error.of("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        }
        Map<String, Map<String, String>> tags = TagHandlers.tagSpecifications(c.params, Set.of("key-pair"));
        String type = parts[0].equals("ssh-ed25519") ? "ed25519" : "rsa";
        Resources.KeyPair k = store(c, name, line, type, tags.getOrDefault("key-pair", Map.of()));
        out.el("keyName", k.name).el("keyFingerprint", k.fingerprint).el("keyPairId", k.id).tagSet(k.tags);
    }

    private static Resources.KeyPair store(Call c, String name, String publicKey, String type, Map<String, String> tags) {
        Resources.KeyPair k = new Resources.KeyPair();
        k.id = RegionState.newId("key-");
        k.name = name;
        k.publicKey = publicKey;
        k.keyType = type;
        k.fingerprint = fingerprint(publicKey);
        k.createTime = Instant.now();
        k.tags.putAll(tags);
        c.region.keyPairs.put(name, k);
        return k;
    }

    /**
     * The shapes EC2 shows: for RSA keys colon-separated MD5 hex (of the key blob here, which is close enough for
     * comparisons), for ED25519 keys base64 SHA-256.
     */
    static String fingerprint(String publicKeyLine) {
        try {
            String[] parts = publicKeyLine.split("\\s+");
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            if (parts[0].equals("ssh-ed25519")) {
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
            }
            byte[] md5 = MessageDigest.getInstance("MD5").digest(blob);
            StringBuilder b = new StringBuilder();
            for (byte x : md5) {
                if (b.length() > 0) {
                    b.append(':');
                }
                b.append(String.format("%02x", x & 0xff));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteKeyPair(Call c, Xml out) {
        String name = c.params.get("KeyName");
        String id = c.params.get("KeyPairId");
        if (name == null && id == null) {
            throw Ec2Error.missing("KeyName");
        }
        Resources.KeyPair removed = null;
        if (name != null) {
            removed = c.region.keyPairs.remove(name);
        } else {
            for (Resources.KeyPair k : List.copyOf(c.region.keyPairs.values())) {
                if (k.id.equals(id)) {
                    removed = c.region.keyPairs.remove(k.name);
                }
            }
        }
        // deleting a key pair that does not exist succeeds, as in EC2
        out.el("return", true).el("keyPairId", removed == null ? null : removed.id);
    }

    private static void describeKeyPairs(Call c, Xml out) {
        List<String> names = c.params.list("KeyName");
        List<String> ids = c.params.list("KeyPairId");
        names.forEach(c.region::keyPairByName);
        for (String id : ids) {
            if (c.region.keyPairs.values().stream().noneMatch(k -> k.id.equals(id))) {
                throw Ec2Error.of("InvalidKeyPair.NotFound", "The key pair '" + id + "' does not exist");
            }
        }
        boolean includePublic = c.params.bool("IncludePublicKey", false);
        Filters filters = Filters.of(c.params);
        out.start("keySet");
        for (Resources.KeyPair k : c.region.keyPairs.values()) {
            if ((!names.isEmpty() && !names.contains(k.name)) || (!ids.isEmpty() && !ids.contains(k.id))) {
                continue;
            }
            if (!filters.matches(k.tags, f -> switch (f) {
                case "key-name" -> List.of(k.name);
                case "key-pair-id" -> List.of(k.id);
                case "fingerprint" -> List.of(k.fingerprint);
                case "key-type" -> List.of(k.keyType);
                default -> null;
            })) {
                continue;
            }
            out.start("item").el("keyPairId", k.id).el("keyName", k.name).el("keyFingerprint", k.fingerprint)
                    .el("keyType", k.keyType).tagSet(k.tags).el("createTime", k.createTime)
                    .el("publicKey", includePublic ? k.publicKey : null).end();
        }
        out.end();
    }
}
