package dev.switchboard.im.fuzz;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * A fresh source address for each execution of a fuzz target: a script's failed logins are throttled per source
 * address (LoginThrottle), and must not refuse the next execution's login (input
 * {@code failed_logins_lock_their_address}). Not thread-safe: a fuzz target runs on one thread.
 */
final class SourceAddresses {

    private int issued;

    /** 10.0.0.1, 10.0.0.2, ...: 16 million before one repeats. */
    InetSocketAddress next() {
        int n = ++issued;
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 40_000);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }
}
