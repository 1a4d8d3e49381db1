package io.github.amimaven.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CIDR syntax checks, without any name lookup. */
final class Cidrs {

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)");
    /** Hex digits and colons, at least one: what {@link InetAddress#getByName} takes as an IPv6 literal, never a name. */
    private static final Pattern IPV6 = Pattern.compile("([0-9A-Fa-f]*:[0-9A-Fa-f:]*)/(12[0-8]|1[01]\\d|[1-9]?\\d)");

    private Cidrs() {
    }

    static boolean isValid(String cidr) {
        return IPV4.matcher(cidr).matches() || isIpv6(cidr);
    }

    /** The JDK parses the address, refusing any that is not an IPv6 address ({@code 1:::2}). */
    private static boolean isIpv6(String cidr) {
        Matcher m = IPV6.matcher(cidr);
        if (!m.matches()) {
            return false;
        }
        try {
            InetAddress.getByName(m.group(1));
            return true;
        } catch (UnknownHostException notALiteral) {
            return false;
        }
    }
}
