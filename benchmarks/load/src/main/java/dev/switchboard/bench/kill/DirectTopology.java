package dev.switchboard.bench.kill;

import dev.switchboard.bench.protocol.MessageRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pairs} senders, each sending direct messages (command 3) to its own receiver, account {@code pairs + i}.
 * Sender i is client 2i and its receiver client 2i + 1, so over several servers the two start on different ones.
 */
record DirectTopology(int pairs) implements Topology {

    DirectTopology {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs < 1: " + pairs);
        }
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public int accounts() {
        return 2 * pairs;
    }

    @Override
    public int senders() {
        return pairs;
    }

    @Override
    public int fanout() {
        return 1;
    }

    @Override
    public int clientNumber(int account) {
        return account < pairs ? 2 * account : 2 * (account - pairs) + 1;
    }

    @Override
    public List<Integer> sendersHeardBy(int account) {
        return account < pairs ? List.of() : List.of(account - pairs);
    }

    @Override
    public List<Destination> destinations(List<ResumingClient> clients) {
        List<Destination> destinations = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String to = clients.get(pairs + i).userId();
            destinations.add((text, clientMsgId) -> new MessageRequest(to, text, clientMsgId, null));
        }
        return destinations;
    }
}
