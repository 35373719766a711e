package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.report.BenchResult;
import dev.switchboard.bench.target.ServerAddresses;

/** One benchmark, run against one server. Bounded in time: returns after its configured phases and drain. */
public interface Workload {

    /** The workload's name, as on the command line. */
    String name();

    /**
     * Runs against {@code servers}, spreading its clients over them (client i on server i mod n), with clients on
     * {@code transport}; closes every client it opened.
     */
    BenchResult run(ClientTransport transport, ServerAddresses servers) throws Exception;
}
