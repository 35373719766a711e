package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.report.BenchResult;
import java.net.InetSocketAddress;

/** One benchmark, run against one server. Bounded in time: returns after its configured phases and drain. */
public interface Workload {

    /** The workload's name, as on the command line. */
    String name();

    /** Runs against {@code server}, with clients on {@code transport}; closes every client it opened. */
    BenchResult run(ClientTransport transport, InetSocketAddress server) throws Exception;
}
