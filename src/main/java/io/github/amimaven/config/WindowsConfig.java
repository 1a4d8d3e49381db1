package io.github.amimaven.config;

/**
 * {@code <windows>}: settings of an image with {@code <os>windows</os>}. Unset fields come from
 * {@code <defaults>}.
 */
public class WindowsConfig {

    /**
     * Generalise the builder with EC2Launch v2 sysprep before the image is captured (the builder then shuts itself
     * down). {@code false} keeps the image as provisioned, not generalised. Default true.
     */
    private Boolean sysprep;

    /**
     * Retrieve the builder's Administrator password (EC2 GetPasswordData, decrypted on the build machine with the
     * build's key) and give it to {@code <powershell>} steps as {@code $env:AMI_WINDOWS_PASSWORD}. It is never
     * logged. Default false.
     */
    private Boolean getPassword;

    /** How long to wait for the password once SSH answers, like Packer's windows_password_timeout. Default 20m. */
    private String passwordTimeout;

    public Boolean getSysprep() { return sysprep; }
    public Boolean getGetPassword() { return getPassword; }
    public String getPasswordTimeout() { return passwordTimeout; }

    public WindowsConfig sysprep(Boolean v) { sysprep = v; return this; }
    public WindowsConfig getPassword(Boolean v) { getPassword = v; return this; }
    public WindowsConfig passwordTimeout(String v) { passwordTimeout = v; return this; }

    /** Fields set here win; unset ones come from {@code defaults}. */
    WindowsConfig mergedOver(WindowsConfig defaults) {
        if (defaults == null) {
            return this;
        }
        WindowsConfig m = new WindowsConfig();
        m.sysprep = sysprep != null ? sysprep : defaults.sysprep;
        m.getPassword = getPassword != null ? getPassword : defaults.getPassword;
        m.passwordTimeout = passwordTimeout != null ? passwordTimeout : defaults.passwordTimeout;
        return m;
    }
}
