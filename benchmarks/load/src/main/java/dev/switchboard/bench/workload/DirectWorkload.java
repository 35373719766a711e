package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.MessageRequest;
import dev.switchboard.bench.target.ServerAddresses;
import java.util.ArrayList;
import java.util.List;

/**
 * N pairs of clients; in each pair one sends direct messages (command 3) to the other, keeping a window of
 * messages awaiting their SendAck. Measures delivered messages per second and send-to-delivery latency. Over
 * several servers, pair i's sender is client 2i and its receiver client 2i + 1, so the two are on different
 * servers whenever there are several.
 */
public final class DirectWorkload implements Workload {

    private final int pairs;
    private final MessagingConfig config;

    public DirectWorkload(int pairs, MessagingConfig config) {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs < 1: " + pairs);
        }
        this.pairs = pairs;
        this.config = config;
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public MessagingResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        UserNames names = UserNames.fresh();
        RunCounters counters = new RunCounters(1);
        List<Participant> participants = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Sender sender = new Sender(
                    i, names.runId(), config.window(), config.rate() / pairs, config.messageSize(), counters);
            participants.add(new Participant(counters, pairs, sender));
        }
        for (int i = 0; i < pairs; i++) {
            Participant receiver = new Participant(counters, pairs, null);
            receiver.expectFrom(List.of(participants.get(i).sender()));
            participants.add(receiver);
        }
        ParticipantLogins.loginAll(transport, i -> servers.forClient(clientNumber(i, pairs)), config.client(),
                participants, names, "d",
                config.loginConcurrency());
        for (int i = 0; i < pairs; i++) {
            Participant sender = participants.get(i);
            String to = participants.get(pairs + i).session().userId();
            sender.sender().bind(sender.client(), (text, id) -> new MessageRequest(to, text, id, null));
        }
        return MessagingRun.execute(
                new MessagingRun.Shape(name(), config.window(), config.rate(), config.messageSize()),
                config.plan(), counters, participants);
    }

    /** The client number of participant {@code index}: senders come first in the list, receivers after them. */
    static int clientNumber(int index, int pairs) {
        return index < pairs ? 2 * index : 2 * (index - pairs) + 1;
    }
}
