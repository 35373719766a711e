package dev.switchboard.framework.internal.transport;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an HTTP {@code Host} header says about where a browser thinks it is. A page of a site whose name its owner
 * re-points at 127.0.0.1 (DNS rebinding) reaches a loopback listener as that site's own origin, but it still names
 * that site as its Host, where a local tool or a page of this machine names localhost or the address. The admin and
 * WebSocket listeners both ask this of connections that reached a loopback address.
 */
public final class HostHeader {

    private static final Pattern PORT_SUFFIX = Pattern.compile(":[0-9]{1,5}$");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    private HostHeader() {}

    /**
     * Whether a Host header names this machine's loopback: {@code localhost}, {@code 127.x.x.x} or {@code [::1]},
     * with or without a port, case and surrounding spaces ignored. Null (no header) is not a name: callers decide.
     */
    public static boolean namesLoopback(String host) {
        if (host == null) {
            return false;
        }
        String name = PORT_SUFFIX.matcher(host.strip()).replaceFirst("").toLowerCase(Locale.ROOT);
        return name.equals("localhost") || name.equals("[::1]") || LOOPBACK_V4.matcher(name).matches();
    }
}
