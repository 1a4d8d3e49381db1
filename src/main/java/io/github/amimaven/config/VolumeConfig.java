package io.github.amimaven.config;

import io.github.amimaven.model.Volume;
import io.github.amimaven.validation.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code <volume>} of {@code <launchVolumes>} (on the builder) or {@code <imageVolumes>} (in the image): a disk as
 * {@code <rootVolume>} describes one (size required unless {@code <snapshotId>} is set; encryption only on
 * {@code <launchVolumes>}), and where it goes.
 */
public class VolumeConfig extends RootVolumeConfig {

    /** Where it is attached, e.g. {@code /dev/sdf}. Required. */
    private String deviceName;

    /** The snapshot it starts from; default: an empty volume. */
    private String snapshotId;

    /** Delete it with the instance. Default true. */
    private Boolean deleteOnTermination;

    public String getDeviceName() { return deviceName; }
    public String getSnapshotId() { return snapshotId; }
    public Boolean getDeleteOnTermination() { return deleteOnTermination; }

    /** A key implies encryption, as in {@code <deploy><regions>}. */
    Volume toVolume() {
        return new Volume(deviceName, getSize(), getType(), getIops(), getThroughput(),
                Boolean.TRUE.equals(getEncrypted()) || getKmsKeyId() != null, getKmsKeyId(), snapshotId,
                deleteOnTermination == null || deleteOnTermination);
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
            if (v.getSize() == null && v.snapshotId == null) {
                errors.add(vat + "/<size>", "is missing", "give a size in GiB, or a <snapshotId> to start from");
            } else if (v.getSize() != null && (v.getSize() < 1 || v.getSize() > 65536)) {
                errors.add(vat + "/<size>", "is " + v.getSize(), "give a size in GiB from 1 to 65536");
            }
            if (inImage && (v.getEncrypted() != null || v.getKmsKeyId() != null)) {
                errors.add(vat + (v.getKmsKeyId() != null ? "/<kmsKeyId>" : "/<encrypted>"),
                        "cannot be set on an image volume: CreateImage keeps the encryption of the builder's volumes",
                        "encrypt the volume on the builder instead, in <launchVolumes> (or <rootVolume>)");
            } else {
                checkEncryption(v.getEncrypted(), v.getKmsKeyId(), vat, errors);
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
