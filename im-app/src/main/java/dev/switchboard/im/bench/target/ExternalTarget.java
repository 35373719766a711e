package dev.switchboard.im.bench.target;

import java.net.InetSocketAddress;

/** A server someone else started. */
record ExternalTarget(InetSocketAddress address) implements BenchTarget {

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
