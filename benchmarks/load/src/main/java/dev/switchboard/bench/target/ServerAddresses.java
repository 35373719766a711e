package dev.switchboard.bench.target;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of the servers of one run, in order, all on loopback: one for a single server, one per node for a
 * cluster. Clients are spread over them by index ({@link #forClient}: client i on server i mod n), and a client
 * that loses its server tries the next one in the list ({@link #next}), wrapping around.
 *
 * @param all at least one; every address resolved and on loopback
 */
public record ServerAddresses(List<InetSocketAddress> all) {

    public ServerAddresses {
        all = List.copyOf(all);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no server address");
        }
        for (InetSocketAddress address : all) {
            if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("server address " + address.getHostString() + ":"
                        + address.getPort() + " is not on loopback (127.0.0.0/8 or ::1): the load generator loads"
                        + " only this machine");
            }
        }
    }

    public static ServerAddresses of(InetSocketAddress address) {
        return new ServerAddresses(List.of(address));
    }

    /**
     * Reads {@code HOST:PORT,HOST:PORT,...}; an IPv6 host goes in brackets ({@code [::1]:8000}).
     *
     * @throws IllegalArgumentException naming the entry that is not {@code HOST:PORT} or not on loopback
     */
    public static ServerAddresses parse(String list) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String entry : list.split(",", -1)) {
            addresses.add(parseOne(entry.trim()));
        }
        return new ServerAddresses(addresses);
    }

    private static InetSocketAddress parseOne(String entry) {
        int colon = entry.lastIndexOf(':');
        String host = colon < 0 ? "" : entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + entry + "': put an IPv6 host in brackets, [::1]:8000");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'" + entry + "' is not HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + entry + "': the port is not a number", e);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("'" + entry + "': port outside 1..65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + entry + "': unknown host " + host, e);
        }
    }

    public int size() {
        return all.size();
    }

    public InetSocketAddress first() {
        return all.get(0);
    }

    /** The index of client {@code client}'s first server: {@code client mod size()}. */
    public int indexForClient(int client) {
        return Math.floorMod(client, all.size());
    }

    /** Client {@code client}'s first server. */
    public InetSocketAddress forClient(int client) {
        return all.get(indexForClient(client));
    }

    /** The server at {@code index mod size()}. */
    public InetSocketAddress get(int index) {
        return all.get(Math.floorMod(index, all.size()));
    }

    /** Where a client on server {@code index} goes when it loses that server: the next one, wrapping around. */
    public int next(int index) {
        return Math.floorMod(index + 1, all.size());
    }

    /** {@code host:port,host:port}, as on the command line. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (InetSocketAddress address : all) {
            if (out.length() > 0) {
                out.append(',');
            }
            String host = address.getAddress().getHostAddress();
            out.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(address.getPort());
        }
        return out.toString();
    }
}
