package io.github.amimaven.provision;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.time.Duration;


/** {@code <reboot>}: reboots the machine and waits until SSH answers again; later provisioners use the new session. */
public class Reboot extends ProvisionerConfig {

    /**
     * {@code linux} ({@code sudo shutdown -r now} in the background) or {@code windows-restart}. Default: linux,
     * windows-restart on an image with {@code <os>windows</os>}.
     */
    private String mode;

    /** The reboot command, instead of the mode's; it must return promptly, so run the reboot in the background. */
    private String command;

    /** How long the reboot may take, from the command until SSH answers again. Default 5m. */
    private String timeout;

    public Reboot mode(String v) { mode = v; return this; }
    public Reboot command(String v) { command = v; return this; }
    public Reboot timeout(String v) { timeout = v; return this; }

    @Override
    String element() {
        return "reboot";
    }

    /** Not bounded by the step's {@code <timeout>}: a reboot's own {@code <timeout>} is its wait for SSH. */
    @Override
    Provisioner forImage(ProjectFiles files, String at, boolean windows, Errors errors) {
        return windows ? toWindowsProvisioner(at, errors) : toProvisioner(files, at, errors);
    }

    @Override
    Provisioner toProvisioner(ProjectFiles files, String at, Errors errors) {
        return resolve(RebootProvisioner.Mode.LINUX, at, errors);
    }

    /** On a Windows image an unset mode means windows-restart, and linux (sudo, shutdown -r) is refused. */
    Provisioner toWindowsProvisioner(String at, Errors errors) {
        if (mode != null && "linux".equals(mode.trim())) {
            errors.add(at + "/<mode>", "is linux, which cannot reboot Windows",
                    "remove <mode> (Windows images reboot in windows-restart mode) or write <mode>windows-restart</mode>");
            return null;
        }
        return resolve(RebootProvisioner.Mode.WINDOWS_RESTART, at, errors);
    }

    private Provisioner resolve(RebootProvisioner.Mode defaultMode, String at, Errors errors) {
        RebootProvisioner.Mode m = defaultMode;
        if (mode != null) {
            switch (mode.trim()) {
                case "linux" -> m = RebootProvisioner.Mode.LINUX;
                case "windows-restart" -> m = RebootProvisioner.Mode.WINDOWS_RESTART;
                default -> {
                    errors.add(at + "/<mode>", "'" + mode + "' is unknown", "use linux or windows-restart");
                    return null;
                }
            }
        }
        if (command != null && command.isBlank()) {
            errors.add(at + "/<command>", "is empty", "remove it to use the default, or write the reboot command");
            return null;
        }
        Duration t = Durations.parse(timeout, at + "/<timeout>", Duration.ofSeconds(10), Duration.ofHours(2), errors);
        if (timeout != null && t == null) {
            return null;
        }
        return new RebootProvisioner(m, command == null ? null : command.trim(), t);
    }
}
