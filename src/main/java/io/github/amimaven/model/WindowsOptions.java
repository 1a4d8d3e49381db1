package io.github.amimaven.model;

import java.time.Duration;

/**
 * How a Windows image is built ({@code <os>windows</os>}).
 *
 * @param sysprep generalise the builder with EC2Launch v2 sysprep before the capture
 * @param getPassword retrieve the builder's Administrator password for the provisioners
 * @param passwordTimeout how long the password may take to appear once SSH answers
 */
public record WindowsOptions(boolean sysprep, boolean getPassword, Duration passwordTimeout) {

    public static final Duration DEFAULT_PASSWORD_TIMEOUT = Duration.ofMinutes(20);

    /**
     * How long a Windows builder may take to answer SSH when {@code <ssh><timeout>} is unset: a first boot, EC2Launch
     * and installing the OpenSSH server take minutes where a Linux boot takes seconds.
     */
    public static final Duration DEFAULT_SSH_TIMEOUT = Duration.ofMinutes(20);

    public WindowsOptions {
        passwordTimeout = passwordTimeout == null ? DEFAULT_PASSWORD_TIMEOUT : passwordTimeout;
    }
}
