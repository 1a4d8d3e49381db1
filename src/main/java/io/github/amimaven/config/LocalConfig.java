package io.github.amimaven.config;

import io.github.amimaven.validation.Errors;

/** {@code <local>}: the local (QEMU) platform's settings. */
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

    public void validate(Errors errors) {
        if (accelerator != null && !java.util.Set.of("auto", "kvm", "tcg").contains(accelerator)) {
            errors.add("<local>/<accelerator>", "'" + accelerator + "' is unknown", "use auto, kvm or tcg");
        }
        if (memory != null && (memory < 256 || memory > 65536)) {
            errors.add("<local>/<memory>", "is " + memory, "give 256 to 65536 MiB");
        }
        if (cpus != null && (cpus < 1 || cpus > 64)) {
            errors.add("<local>/<cpus>", "is " + cpus, "give 1 to 64 CPUs");
        }
    }
}
