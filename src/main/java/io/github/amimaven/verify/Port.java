package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;

/** {@code <port>22</port>}: something listens on this TCP port. */
public class Port extends CheckConfig {

    /** The port; also what the element's text sets. */
    private String number;

    /** Lets Maven bind the element's text: {@code <port>22</port>}. */
    public void set(String value) {
        number = value;
    }

    @Override
    String element() {
        return "port";
    }

    @Override
    CommandVerifier.Check toCheck(String at, Errors errors) {
        int port = -1;
        try {
            port = Integer.parseInt(number == null ? "" : number.strip());
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        if (port < 1 || port > 65535) {
            errors.add(at, "'" + number + "' is not a TCP port", "write a number from 1 to 65535, e.g. <port>22</port>");
            return null;
        }
        return new CommandVerifier.Port(port);
    }
}
