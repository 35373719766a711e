package dev.switchboard.bench.target;

import dev.switchboard.bench.baseline.BaselineRelayServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The {@link BaselineRelayServer} in this JVM, on a free loopback port. */
final class InProcessBaseline implements BenchTarget {

    private final BaselineRelayServer relay;
    private final InetSocketAddress address;
    private final InetSocketAddress admin;

    InProcessBaseline(String host) throws InterruptedException, IOException {
        relay = new BaselineRelayServer().start(host, 0);
        address = new InetSocketAddress(host, relay.port());
        admin = new InetSocketAddress(host, relay.startAdmin(host, 0));
    }

    @Override
    public Optional<InetSocketAddress> adminAddress() {
        return Optional.of(admin);
    }

    @Override
    public String label() {
        return "baseline";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public void close() {
        relay.close();
    }
}
