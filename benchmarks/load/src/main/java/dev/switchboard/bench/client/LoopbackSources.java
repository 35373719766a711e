package dev.switchboard.bench.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Local addresses 127.0.0.2, 127.0.0.3, ... for client sockets. Each source address has its own ephemeral port
 * range (about 28,000 ports on a default Linux), so spreading connections over several lifts that limit for tens of
 * thousands of connections or a high rate of short ones. 127.0.0.1 is left to other traffic.
 */
public final class LoopbackSources {

    /** The most source addresses {@link #address(int)} hands out (127.0.0.2 to 127.255.255.254). */
    public static final int MAX = (1 << 24) - 3;

    private LoopbackSources() {}

    /** The {@code index}-th source address (0 is 127.0.0.2), with port 0 for an ephemeral port. */
    public static InetSocketAddress address(int index) {
        if (index < 0 || index >= MAX) {
            throw new IllegalArgumentException("source address index outside 0.." + (MAX - 1) + ": " + index);
        }
        int offset = index + 2;
        byte[] ip = {127, (byte) (offset >>> 16), (byte) (offset >>> 8), (byte) offset};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }
}
