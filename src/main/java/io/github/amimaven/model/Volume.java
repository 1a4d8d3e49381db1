package io.github.amimaven.model;

/**
 * An extra EBS volume: on the builder ({@code <launchVolumes>}, RunInstances) or in the image
 * ({@code <imageVolumes>}, CreateImage). Null fields are EC2's defaults.
 *
 * @param deviceName where the volume is attached, e.g. {@code /dev/sdf}
 * @param sizeGb size in GiB; null for the snapshot's
 * @param type EBS volume type, e.g. {@code gp3}
 * @param iops provisioned IOPS (gp3, io1, io2)
 * @param throughput throughput in MiB/s (gp3)
 * @param encrypted the volume is encrypted (with {@code kmsKeyId}, or the account's default EBS key)
 * @param kmsKeyId the KMS key that encrypts it; set only with {@code encrypted}
 * @param snapshotId the snapshot it starts from; null for an empty volume
 * @param deleteOnTermination the volume ends with the instance
 */
public record Volume(String deviceName, Integer sizeGb, String type, Integer iops, Integer throughput,
        boolean encrypted, String kmsKeyId, String snapshotId, boolean deleteOnTermination) {
}
