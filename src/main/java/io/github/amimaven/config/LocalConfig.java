package io.github.amimaven.config;

/** {@code <local>}: the local (QEMU) platform's settings, which its platform kind reads and checks. */
public class LocalConfig {

    /** Where images are kept. Default {@code ~/.ami-maven-plugin/images}. */
    private String storeDirectory;

    /** {@code auto} (KVM when a boot probe shows it works, else TCG), {@code kvm} or {@code tcg}. Default auto. */
    private String accelerator;

    /** Guest memory in MiB. Default 1024. */
    private Integer memory;

    /** Guest CPUs. Default 2. */
    private Integer cpus;

    public String getStoreDirectory() { return storeDirectory; }
    public String getAccelerator() { return accelerator; }
    public Integer getMemory() { return memory; }
    public Integer getCpus() { return cpus; }
}
