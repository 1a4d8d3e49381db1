package io.github.amimaven.config;

/** {@code <rootVolume>}: the builder's root disk, which becomes the image's. */
public class RootVolumeConfig {

    /** Size in GiB; default: the source image's. */
    private Integer size;

    /** EBS volume type: gp3, gp2, io1, io2, st1, sc1, standard. Default: the source image's. */
    private String type;

    /** Provisioned IOPS (gp3, io1, io2); default: EC2's for the type. */
    private Integer iops;

    /** Throughput in MiB/s (gp3); default: EC2's. */
    private Integer throughput;

    /**
     * Launch the root volume encrypted, so that the image's root snapshot is (Packer's {@code encrypt_boot}).
     * Default false: as the source image's snapshot, or the account's EBS encryption by default.
     */
    private Boolean encrypted;

    /** The KMS key (id, alias/name or ARN) that encrypts it; needs {@code <encrypted>true</encrypted>}. */
    private String kmsKeyId;

    public Integer getSize() { return size; }
    public String getType() { return type; }
    public Integer getIops() { return iops; }
    public Integer getThroughput() { return throughput; }
    public Boolean getEncrypted() { return encrypted; }
    public String getKmsKeyId() { return kmsKeyId; }
}
