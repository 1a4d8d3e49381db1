package io.github.amimaven.config;

import java.util.regex.Pattern;

/** CIDR syntax checks, without any name lookup. */
final class Cidrs {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}/(12[0-8]|1[01]\\d|[1-9]?\\d)");

    private Cidrs() {
    }

    static boolean isValid(String cidr) {
        if (IPV4.matcher(cidr).matches()) {
            return true;
        }
        return IPV6.matcher(cidr).matches() && cidr.contains("::") || cidr.chars().filter(c -> c == ':').count() == 7
                && IPV6.matcher(cidr).matches();
    }
}
