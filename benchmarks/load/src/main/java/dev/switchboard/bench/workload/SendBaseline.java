package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.target.ServerAddresses;

/**
 * Plain direct sends measured on the same server, after a read benchmark, so that the read rate has a yardstick
 * from the same run (the same JVM, the same data in the store, the same noise on the machine).
 *
 * @param pairs sender/receiver pairs, as {@code bench direct --pairs}
 * @param config window, timing and wire settings, as {@code bench direct}
 */
public record SendBaseline(int pairs, MessagingConfig config) {

    MessagingResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        return new DirectWorkload(pairs, config).run(transport, servers);
    }
}
