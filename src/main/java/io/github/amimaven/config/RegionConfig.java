package io.github.amimaven.config;

/** {@code <region>} of {@code <deploy><regions>}: a region the release is copied to. */
public class RegionConfig {

    /** The region code, e.g. {@code us-east-1}. {@code <region>us-east-1</region>} is short for this alone. */
    private String name;

    /** KMS key to encrypt the copy's snapshots with, in that region (implies encrypted). */
    private String kmsKeyId;

    /** Encrypt the copy's snapshots (with the account's default EBS key unless kmsKeyId is set). Default false. */
    private Boolean encrypted;

    public String getName() { return name; }
    public String getKmsKeyId() { return kmsKeyId; }
    public Boolean getEncrypted() { return encrypted; }

    public RegionConfig name(String v) { name = v; return this; }
    public RegionConfig kmsKeyId(String v) { kmsKeyId = v; return this; }
    public RegionConfig encrypted(Boolean v) { encrypted = v; return this; }

    /** {@code <region>us-east-1</region>}: Maven's configurator calls this for an element with text only. */
    public void set(String name) {
        this.name = name;
    }
}
