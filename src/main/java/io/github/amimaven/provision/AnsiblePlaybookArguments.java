package io.github.amimaven.provision;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code <extraArguments>} the way ansible-playbook's argparse does, to find options the plugin sets itself:
 * short options clustered or with an attached value ({@code -vvv}, {@code -ex=y}, {@code -e@file}), long options with
 * {@code =value}, and long options abbreviated to any unambiguous prefix ({@code --extra} is {@code --extra-vars}).
 */
final class AnsiblePlaybookArguments {

    /**
     * Options that would replace what the plugin sets (inventory, login, key, host key checking through SSH
     * arguments, the connection itself) or put variables and secrets beside the plugin's own files.
     */
    private static final List<String> RESERVED_LONG = List.of("--inventory", "--inventory-file", "--extra-vars",
            "--private-key", "--key-file", "--vault-password-file", "--vault-pass-file", "--vault-id", "--ask-pass",
            "--ssh-common-args", "--ssh-extra-args", "--scp-extra-args", "--sftp-extra-args", "--connection",
            "--connection-password-file", "--conn-pass-file", "--user");

    /** Short forms of reserved options: -i, -e, -k, -c, -u. */
    private static final Set<Character> RESERVED_SHORT = Set.of('i', 'e', 'k', 'c', 'u');

    /** ansible-playbook's short options without a value, which argparse lets a cluster continue after. */
    private static final Set<Character> SHORT_FLAGS = Set.of('b', 'C', 'D', 'h', 'K', 'k', 'v');

    private AnsiblePlaybookArguments() {
    }

    /**
     * The reserved option the arguments name, as ansible-playbook would read it, e.g. {@code --extra-vars (as --extra)};
     * empty when there is none. Arguments after {@code --} are playbooks, not options.
     */
    static Optional<String> firstReserved(List<String> arguments) {
        for (String arg : arguments) {
            if (arg == null || !arg.startsWith("-") || arg.length() < 2) {
                continue;
            }
            if (arg.equals("--")) {
                return Optional.empty();
            }
            Optional<String> reserved = arg.startsWith("--") ? reservedLong(arg) : reservedShort(arg);
            if (reserved.isPresent()) {
                return reserved;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> reservedLong(String arg) {
        String name = arg.split("=", 2)[0];
        if (RESERVED_LONG.contains(name)) {
            return Optional.of(name);
        }
        // argparse takes any prefix of one option for that option; a prefix of several is refused by argparse anyway
        return RESERVED_LONG.stream().filter(option -> option.startsWith(name)).findFirst()
                .map(option -> option + " (as " + name + ")");
    }

    private static Optional<String> reservedShort(String arg) {
        for (int i = 1; i < arg.length(); i++) {
            char option = arg.charAt(i);
            if (RESERVED_SHORT.contains(option)) {
                return Optional.of("-" + option + (arg.length() > 2 ? " (in " + arg + ")" : ""));
            }
            if (!SHORT_FLAGS.contains(option)) {
                // an option with a value takes the rest of the argument as its value
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
