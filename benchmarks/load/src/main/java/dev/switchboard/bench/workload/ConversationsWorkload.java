package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.ConversationInfo;
import dev.switchboard.bench.protocol.ConversationsRequest;
import dev.switchboard.bench.protocol.ConversationsResponse;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.MessageRequest;
import dev.switchboard.bench.protocol.SendAck;
import dev.switchboard.bench.target.ServerAddresses;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Conversation-list requests per second for one user with {@link ConversationsConfig#conversations()} direct
 * conversations. Seeding goes through the protocol: the user logs in, then each of as many peers registers, sends
 * the user {@link ConversationsConfig#messagesPerConversation()} messages and leaves (timed and reported, not part
 * of the measured rate). Before measuring, one walk through the whole list (pages of 200) checks that every
 * conversation is listed. Then {@link ConversationsConfig#clients()} connections of that user ask for the first
 * page (ConversationsRequest, command 30, no cursor: what an app asks when it opens) again and again; the server
 * reads all the user's conversations for every request, so this is the expensive page. An answer with fewer than
 * {@code min(pageSize, conversations)} entries counts as short and fails the run.
 */
public final class ConversationsWorkload implements Workload {

    private static final long LOGIN_SECONDS = 30;

    private final ConversationsConfig config;

    public ConversationsWorkload(ConversationsConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "conversations";
    }

    @Override
    public ReadResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        UserNames names = UserNames.fresh();
        LoginRequest readerLogin = LoginRequest.withPassword(names.name("c", 0), Session.PASSWORD);
        // Online while seeding, so it acknowledges the deliveries and its inbox does not pile up.
        Session owner = Session.open(transport, servers.first(), null, config.client(), ClientListener.NONE, readerLogin)
                .get(LOGIN_SECONDS, TimeUnit.SECONDS);
        AtomicLong stored = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long seedStart = System.nanoTime();
        BoundedConcurrency.run(config.conversations(), config.loginConcurrency(), peer -> seedPeer(transport, servers.forClient(peer + 1),
                        names, peer, owner.userId(), stored, refused))
                .get(Math.max(120, config.conversations() * (long) config.messagesPerConversation() / 200),
                        TimeUnit.SECONDS);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        owner.client().close().get(LOGIN_SECONDS, TimeUnit.SECONDS);
        SeedResult seeded = new SeedResult("messages from " + config.conversations() + " peers", stored.get(),
                refused.get(), seedSeconds, stored.get() / seedSeconds);

        List<BenchClient> readers = new ArrayList<>();
        try {
            for (int i = 0; i < config.clients(); i++) {
                readers.add(Session.open(transport, servers.forClient(i), null, config.client(), ClientListener.NONE, readerLogin)
                        .get(LOGIN_SECONDS, TimeUnit.SECONDS).client());
            }
            long listed = listAll(readers.get(0));
            int expected = Math.min(config.pageSize(), config.conversations());
            List<RequestLoops.Step> steps = new ArrayList<>();
            for (BenchClient reader : readers) {
                steps.add(() -> reader.request(new ConversationsRequest(null, config.pageSize()),
                                ConversationsResponse.class)
                        .thenApply(page -> {
                            int size = page.conversations() == null ? 0 : page.conversations().size();
                            return size < expected ? -1 : size;
                        }));
            }
            if (!config.warmup().isZero()) {
                RequestLoops.run(readers, steps, config.warmup());
            }
            RequestPhaseResult measured = RequestLoops.run(readers, steps, config.duration());
            HistoryWorkload.closeAll(readers);
            readers.clear();
            MessagingResult sends = config.sendBaseline() == null ? null
                    : config.sendBaseline().run(transport, servers);
            return new ReadResult(name(), config.clients(), config.pageSize(), "lists/s", "conversations", seeded,
                    config.conversations(), listed, measured, sends);
        } finally {
            HistoryWorkload.closeAll(readers);
        }
    }

    /** Pages through the whole list, 200 at a time, and counts the distinct conversations. */
    private static long listAll(BenchClient reader) throws Exception {
        long count = 0;
        Long before = null;
        for (int page = 0; page < 1_000_000; page++) {
            ConversationsResponse answer = reader.request(new ConversationsRequest(before, 200),
                    ConversationsResponse.class).get(LOGIN_SECONDS, TimeUnit.SECONDS);
            List<ConversationInfo> conversations = answer.conversations() == null ? List.of()
                    : answer.conversations();
            count += conversations.size();
            if (!answer.more() || conversations.isEmpty()) {
                break;
            }
            before = conversations.get(conversations.size() - 1).activeAt();
        }
        return count;
    }

    /** One peer: registers, sends its messages to the owner, waits for their SendAcks, leaves. */
    private CompletableFuture<Void> seedPeer(ClientTransport transport, InetSocketAddress server, UserNames names,
            int peer, String ownerId, AtomicLong stored, AtomicLong refused) {
        PeerSeed seed = new PeerSeed(config.messagesPerConversation(), stored, refused);
        String name = names.name("p", peer);
        return Session.open(transport, server, null, config.client(), seed,
                        LoginRequest.withPassword(name, Session.PASSWORD))
                .thenCompose(session -> {
                    session.client().execute(() -> {
                        for (int i = 0; i < config.messagesPerConversation(); i++) {
                            session.client().write(new MessageRequest(ownerId, "hello " + i, name + "." + i, null));
                        }
                        session.client().flush();
                    });
                    return seed.done.thenCompose(ignored -> session.client().close());
                });
    }

    /** Counts one peer's answers; done when every message it sent is answered. Event loop only. */
    private static final class PeerSeed implements ClientListener {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicLong stored;
        private final AtomicLong refused;
        private int unanswered;

        PeerSeed(int messages, AtomicLong stored, AtomicLong refused) {
            this.unanswered = messages;
            this.stored = stored;
            this.refused = refused;
        }

        @Override
        public void onSendAck(BenchClient client, SendAck ack) {
            stored.incrementAndGet();
            answered();
        }

        @Override
        public void onError(BenchClient client, ErrorResponse error) {
            if (error.refusesAMessage()) {
                refused.incrementAndGet();
                answered();
            }
        }

        @Override
        public void onClosed(BenchClient client) {
            done.completeExceptionally(new ClosedChannelException());
        }

        private void answered() {
            if (--unanswered == 0) {
                done.complete(null);
            }
        }
    }
}
