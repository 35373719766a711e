package dev.switchboard.im.bench.target;

import dev.switchboard.im.bench.baseline.BaselineRelayServer;
import java.net.InetSocketAddress;

/** The {@link BaselineRelayServer} in this JVM, on a free loopback port. */
final class InProcessBaseline implements BenchTarget {

    private final BaselineRelayServer relay;
    private final InetSocketAddress address;

    InProcessBaseline(String host) throws InterruptedException {
        relay = new BaselineRelayServer().start(host, 0);
        address = new InetSocketAddress(host, relay.port());
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
