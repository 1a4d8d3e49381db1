package io.github.amimaven.config;

import io.github.amimaven.model.Volume;
import io.github.amimaven.validation.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code <volume>} of {@code <launchVolumes>} (on the builder) or {@code <imageVolumes>} (in the image). */
public class VolumeConfig {

    /** Where it is attached, e.g. {@code /dev/sdf}. Required. */
    private String deviceName;

    /** Size in GiB; required unless {@code <snapshotId>} is set. */
    private Integer size;

    /** EBS volume type: gp3, gp2, io1, io2, st1, sc1, standard. Default: EC2's. */
    private String type;

    /** Provisioned IOPS (gp3, io1, io2). */
    private Integer iops;

    /** Throughput in MiB/s (gp3). */
    private Integer throughput;

    /** Encrypt it ({@code <launchVolumes>} only). Default false. */
    private Boolean encrypted;

    /** The KMS key that encrypts it; needs {@code <encrypted>true</encrypted>} ({@code <launchVolumes>} only). */
    private String kmsKeyId;

    /** The snapshot it starts from; default: an empty volume. */
    private String snapshotId;

    /** Delete it with the instance. Default true. */
    private Boolean deleteOnTermination;

    public String getDeviceName() { return deviceName; }
    public Integer getSize() { return size; }
    public String getType() { return type; }
    public Integer getIops() { return iops; }
    public Integer getThroughput() { return throughput; }
    public Boolean getEncrypted() { return encrypted; }
    public String getKmsKeyId() { return kmsKeyId; }
    public String getSnapshotId() { return snapshotId; }
    public Boolean getDeleteOnTermination() { return deleteOnTermination; }

    /** A key implies encryption, as in {@code <deploy><regions>}. */
    Volume toVolume() {
        return new Volume(deviceName, size, type, iops, throughput, Boolean.TRUE.equals(encrypted) || kmsKeyId != null,
                kmsKeyId, snapshotId, deleteOnTermination == null || deleteOnTermination);
    }

    /**
     * Checks a list of volumes at {@code at} ({@code .../<launchVolumes>}); {@code inImage}: the image's, whose
     * encryption CreateImage cannot set.
     */
    static void validate(List<VolumeConfig> volumes, String at, boolean inImage, Errors errors) {
        if (volumes == null) {
            return;
        }
        Set<String> devices = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            VolumeConfig v = volumes.get(i);
            String vat = at + "/<volume>[" + (i + 1) + "]";
            if (v.deviceName == null || v.deviceName.isBlank()) {
                errors.add(vat + "/<deviceName>", "is missing", "name the device, e.g. <deviceName>/dev/sdf</deviceName>");
            } else if (!devices.add(v.deviceName)) {
                errors.add(vat + "/<deviceName>", "'" + v.deviceName + "' is listed twice", "give each volume its own device");
            }
            if (v.size == null && v.snapshotId == null) {
                errors.add(vat + "/<size>", "is missing", "give a size in GiB, or a <snapshotId> to start from");
            } else if (v.size != null && (v.size < 1 || v.size > 65536)) {
                errors.add(vat + "/<size>", "is " + v.size, "give a size in GiB from 1 to 65536");
            }
            if (inImage && (v.encrypted != null || v.kmsKeyId != null)) {
                errors.add(vat + (v.kmsKeyId != null ? "/<kmsKeyId>" : "/<encrypted>"),
                        "cannot be set on an image volume: CreateImage keeps the encryption of the builder's volumes",
                        "encrypt the volume on the builder instead, in <launchVolumes> (or <rootVolume>)");
            } else {
                checkEncryption(v.encrypted, v.kmsKeyId, vat, errors);
            }
        }
    }

    /** A key is a KMS key, and {@code <encrypted>} does not say false next to it. */
    static void checkEncryption(Boolean encrypted, String kmsKeyId, String at, Errors errors) {
        if (kmsKeyId == null) {
            return;
        }
        if (!KmsKeys.isKey(kmsKeyId)) {
            errors.add(at + "/<kmsKeyId>", "'" + kmsKeyId + "' is not a KMS key",
                    "give a key id, key ARN, alias/name or alias ARN of a key in the build region");
        }
        if (Boolean.FALSE.equals(encrypted)) {
            errors.add(at + "/<encrypted>", "is false but <kmsKeyId> is set", "remove one of them");
        }
    }
}
