package dev.switchboard.bench.target;

import java.net.InetSocketAddress;
import java.util.Optional;

/** A server someone else started; {@code admin} is null when its admin port was not given. */
record ExternalTarget(InetSocketAddress address, InetSocketAddress admin) implements BenchTarget {

    @Override
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.ofNullable(admin);
    }

    @Override
    public String label() {
        return "external " + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public void close() {}
}
