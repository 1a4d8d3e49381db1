package io.github.amimaven.remote;

/**
 * Quoting for values that OpenSSH's {@code ssh} reads from a config file or {@code -o}: it splits a value at
 * white space unless double-quoted (backslash escaping {@code "} and {@code \}), and expands {@code %} tokens in
 * file names and commands ({@code %%} is a literal {@code %}).
 */
public final class OpenSshQuoting {

    private OpenSshQuoting() {
    }

    /** A file name as one config value, e.g. for {@code UserKnownHostsFile} or {@code IdentityFile}. */
    public static String file(String path) {
        return "\"" + percent(path).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Text that ssh expands {@code %} tokens in and that must stay as it is. */
    public static String percent(String text) {
        return text.replace("%", "%%");
    }
}
