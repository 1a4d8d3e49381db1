package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;

/** {@code <service>}: a systemd unit's enabled and active states. */
public class Service extends CheckConfig {

    /** The unit, e.g. {@code ssh} or {@code nginx.service}. */
    private String name;

    /** Must it be enabled (true) or not (false)? Default true. */
    private Boolean enabled;

    /** Must it be running (true) or not (false)? Default true. */
    private Boolean active;

    @Override
    String element() {
        return "service";
    }

    @Override
    CommandVerifier.Check toCheck(String at, Errors errors) {
        if (blank(name)) {
            errors.add(at + "/<name>", "is missing", "name the systemd unit, e.g. <name>ssh</name>");
            return null;
        }
        if (!name.strip().matches("[A-Za-z0-9:_.@\\\\-]+")) {
            errors.add(at + "/<name>", "'" + name + "' is not a unit name", "e.g. ssh, nginx.service, getty@tty1");
            return null;
        }
        return new CommandVerifier.Service(name.strip(), enabled == null || enabled, active == null || active);
    }
}
