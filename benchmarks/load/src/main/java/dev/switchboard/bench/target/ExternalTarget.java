package dev.switchboard.bench.target;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Servers someone else started: one ({@code --port}) or several ({@code --servers}); {@code admin} is the first
 * server's admin listener, or null when its port was not given.
 */
record ExternalTarget(ServerAddresses addresses, InetSocketAddress admin) implements BenchTarget {

    @Override
    public InetSocketAddress address() {
        return addresses.first();
    }

    @Override
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin);
    }

    @Override
    public String label() {
        return "external " + addresses;
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public void close() {}
}
