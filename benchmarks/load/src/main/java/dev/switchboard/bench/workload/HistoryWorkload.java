package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.HistoryMessage;
import dev.switchboard.bench.protocol.HistoryRequest;
import dev.switchboard.bench.protocol.HistoryResponse;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.MessageRequest;
import dev.switchboard.bench.protocol.SendAck;
import dev.switchboard.bench.target.ServerAddresses;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History pages per second in one long direct conversation. First the conversation is seeded through the protocol:
 * its two users send each other {@link HistoryConfig#messages()} plain direct messages, each keeping a window
 * awaiting SendAck, as fast as the server stores them (timed and reported, but not part of the measured rate); the
 * SendAcks give every message's id. Then {@link HistoryConfig#clients()} connections, logged in as the two users in
 * turn, page backwards (HistoryRequest, command 28) from random messages: each walk starts just above a message
 * drawn uniformly from all seeded ones and reads {@link HistoryConfig#pagesPerWalk()} pages or to the
 * conversation's start. Every answer must carry messages: an empty page means the server holds less than was
 * seeded.
 */
public final class HistoryWorkload implements Workload {

    private static final long LOGIN_SECONDS = 30;

    private final HistoryConfig config;

    public HistoryWorkload(HistoryConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public ReadResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        UserNames names = UserNames.fresh();
        LoginRequest loginA = LoginRequest.withPassword(names.name("ha", 0), Session.PASSWORD);
        LoginRequest loginB = LoginRequest.withPassword(names.name("hb", 0), Session.PASSWORD);
        Seed seed = new Seed(config.messages());
        SeedSide sideA = new SeedSide(seed, names.runId() + ".a.");
        SeedSide sideB = new SeedSide(seed, names.runId() + ".b.");
        Session a = Session.open(transport, servers.forClient(0), null, config.client(), sideA, loginA)
                .get(LOGIN_SECONDS, TimeUnit.SECONDS);
        Session b = Session.open(transport, servers.forClient(1), null, config.client(), sideB, loginB)
                .get(LOGIN_SECONDS, TimeUnit.SECONDS);
        long seedStart = System.nanoTime();
        sideA.start(a.client(), b.userId());
        sideB.start(b.client(), a.userId());
        // Generous: 1,000,000 messages at 2,000/s would still finish.
        seed.done.get(Math.max(120, config.messages() / 2_000), TimeUnit.SECONDS);
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        a.client().close().get(LOGIN_SECONDS, TimeUnit.SECONDS);
        b.client().close().get(LOGIN_SECONDS, TimeUnit.SECONDS);
        long[] ids = seed.sortedIds();
        if (ids.length == 0) {
            throw new IllegalStateException("seeding stored no message (" + seed.refused.get() + " refused)");
        }
        SeedResult seeded = new SeedResult("messages in one direct conversation", ids.length, seed.refused.get(),
                seedSeconds, ids.length / seedSeconds);

        List<BenchClient> readers = new ArrayList<>();
        List<RequestLoops.Step> walks = new ArrayList<>();
        try {
            for (int i = 0; i < config.clients(); i++) {
                boolean asA = i % 2 == 0;
                Session reader = Session.open(transport, servers.forClient(i), null, config.client(), ClientListener.NONE,
                        asA ? loginA : loginB).get(LOGIN_SECONDS, TimeUnit.SECONDS);
                readers.add(reader.client());
                walks.add(new Walk(reader.client(), asA ? b.userId() : a.userId(), ids));
            }
            if (!config.warmup().isZero()) {
                RequestLoops.run(readers, walks, config.warmup());
            }
            RequestPhaseResult measured = RequestLoops.run(readers, walks, config.duration());
            closeAll(readers);
            readers.clear();
            MessagingResult sends = config.sendBaseline() == null ? null
                    : config.sendBaseline().run(transport, servers);
            return new ReadResult(name(), config.clients(), config.pageSize(), "pages/s", "messages", seeded, 1, -1,
                    measured, sends);
        } finally {
            closeAll(readers);
        }
    }

    static void closeAll(List<BenchClient> clients) throws Exception {
        for (BenchClient client : clients) {
            client.close().get(LOGIN_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The seeding's shared count: messages claimed, answered, stored; completes when every one is answered. */
    private static final class Seed {
        final int total;
        final AtomicInteger claimed = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger stored = new AtomicInteger();
        final AtomicLong refused = new AtomicLong();
        final long[] ids;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Seed(int total) {
            this.total = total;
            this.ids = new long[total];
        }

        /** The number of the next message to send, or -1 when all are claimed. */
        int claim() {
            int n = claimed.getAndIncrement();
            return n < total ? n : -1;
        }

        void stored(long messageId) {
            ids[stored.getAndIncrement()] = messageId;
            answered();
        }

        void refused() {
            refused.incrementAndGet();
            answered();
        }

        private void answered() {
            if (answered.incrementAndGet() == total) {
                done.complete(null);
            }
        }

        long[] sortedIds() {
            long[] copy = Arrays.copyOf(ids, stored.get());
            Arrays.sort(copy);
            return copy;
        }
    }

    /** One of the conversation's two users while seeding: a window of messages to the other. Event loop only. */
    private final class SeedSide implements ClientListener {
        private final Seed seed;
        private final String clientMsgIdPrefix;
        private final String padding;
        private BenchClient client;
        private String peerId;
        private int inFlight;

        SeedSide(Seed seed, String clientMsgIdPrefix) {
            this.seed = seed;
            this.clientMsgIdPrefix = clientMsgIdPrefix;
            this.padding = "x".repeat(config.messageSize());
        }

        void start(BenchClient client, String peerId) {
            this.client = client;
            this.peerId = peerId;
            client.execute(this::pump);
        }

        private void pump() {
            while (inFlight < config.seedWindow()) {
                int n = seed.claim();
                if (n < 0) {
                    break;
                }
                String number = Integer.toString(n);
                String text = number.length() >= padding.length() ? number
                        : number + padding.substring(number.length());
                client.write(new MessageRequest(peerId, text, clientMsgIdPrefix + number, null));
                inFlight++;
            }
            client.flush();
        }

        @Override
        public void onSendAck(BenchClient from, SendAck ack) {
            if (ack.clientMsgId() == null || !ack.clientMsgId().startsWith(clientMsgIdPrefix)
                    || ack.messageId() == null) {
                return;
            }
            inFlight--;
            seed.stored(ack.messageId());
            pump();
        }

        @Override
        public void onError(BenchClient from, ErrorResponse error) {
            if (error.refusesAMessage()) {
                inFlight--;
                seed.refused();
                pump();
            }
        }

        @Override
        public void onClosed(BenchClient from) {
            seed.done.completeExceptionally(new ClosedChannelException());
        }
    }

    /** One client's walks backwards through the conversation. Runs on the client's event loop only. */
    private final class Walk implements RequestLoops.Step {
        private final BenchClient client;
        private final String peerId;
        private final long[] ids;
        private long before;
        private int pagesLeft;

        Walk(BenchClient client, String peerId, long[] ids) {
            this.client = client;
            this.peerId = peerId;
            this.ids = ids;
        }

        @Override
        public CompletableFuture<Integer> next() {
            if (pagesLeft == 0) {
                // Just above a random message, so that the first page starts with it: never empty on a full store.
                before = ids[ThreadLocalRandom.current().nextInt(ids.length)] + 1;
                pagesLeft = config.pagesPerWalk();
            }
            pagesLeft--;
            return client.request(HistoryRequest.direct(peerId, before, config.pageSize()), HistoryResponse.class)
                    .thenApply(page -> {
                        List<HistoryMessage> messages = page.messages() == null ? List.of() : page.messages();
                        if (messages.isEmpty()) {
                            pagesLeft = 0;
                            return -1;
                        }
                        if (page.more()) {
                            before = messages.get(messages.size() - 1).messageId();
                        } else {
                            pagesLeft = 0;
                        }
                        return messages.size();
                    });
        }
    }
}
