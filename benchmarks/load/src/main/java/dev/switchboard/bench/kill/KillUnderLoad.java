package dev.switchboard.bench.kill;

import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.measure.SequenceTracker;
import dev.switchboard.bench.target.RestartableTarget;
import dev.switchboard.bench.target.ServerAddresses;
import dev.switchboard.bench.workload.BoundedConcurrency;
import dev.switchboard.bench.workload.Workload;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A direct or group load during which a server is SIGKILLed and restarted again and again ({@link ServerKiller}),
 * with clients that reconnect and resume ({@link ResumingClient}): the one child server, or one node of a cluster
 * at a time, whose clients fail over to the other nodes. Phases: log every account in with its password
 * and set up (a group); send as fast as the windows allow while the server is killed; stop new messages and drain
 * on the last server until every message is acknowledged and delivered, or the drain times out; close the clients
 * and tally every recipient's {@link RecipientLedger}.
 */
public final class KillUnderLoad implements Workload {

    private static final long SETUP_TIMEOUT_SECONDS = 60;
    private static final long STOP_TIMEOUT_SECONDS = 10;
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Topology topology;
    private final KillConfig config;
    private final List<RestartableTarget> servers;
    private final Consumer<String> log;

    private KillUnderLoad(Topology topology, KillConfig config, List<RestartableTarget> servers,
            Consumer<String> log) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to kill");
        }
        this.topology = topology;
        this.config = config;
        this.servers = List.copyOf(servers);
        this.log = log;
    }

    /**
     * {@code pairs} senders each sending direct messages to its own receiver.
     *
     * @param servers the servers clients spread over, killed in turn: one, or a cluster's nodes
     * @param log progress lines, one per kill
     */
    public static KillUnderLoad direct(int pairs, KillConfig config, List<RestartableTarget> servers,
            Consumer<String> log) {
        return new KillUnderLoad(new DirectTopology(pairs), config, servers, log);
    }

    /**
     * One group of {@code members}, {@code senders} of whom post to it.
     *
     * @param servers the servers clients spread over, killed in turn: one, or a cluster's nodes
     * @param log progress lines, one per kill
     */
    public static KillUnderLoad group(int members, int senders, KillConfig config, List<RestartableTarget> servers,
            Consumer<String> log) {
        return new KillUnderLoad(new GroupTopology(members, senders), config, servers, log);
    }

    @Override
    public String name() {
        return topology.name() + "-kill";
    }

    @Override
    public KillRunResult run(ClientTransport transport, ServerAddresses addresses) throws Exception {
        List<InetSocketAddress> killed = servers.stream().map(RestartableTarget::address).toList();
        if (!addresses.all().equals(killed)) {
            throw new IllegalArgumentException("clients would connect to " + addresses + ", not to the killed servers"
                    + " at " + new ServerAddresses(killed));
        }
        String runId = "k" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        KillProgress progress = new KillProgress(topology.accounts());
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < topology.accounts(); i++) {
            ResendingSender sender = i < topology.senders()
                    ? new ResendingSender(i, runId, config.window(), config.messageSize(), progress) : null;
            clients.add(new ResumingClient(runId + "-" + topology.name().charAt(0) + i, transport, addresses,
                    topology.clientNumber(i), config.client(), sender, progress));
        }
        try {
            logInAll(clients);
            List<Destination> destinations = topology.destinations(clients);
            for (int i = 0; i < topology.senders(); i++) {
                ResendingSender sender = clients.get(i).sender();
                Destination destination = destinations.get(i);
                clients.get(i).onLoop(() -> {
                    sender.bind(destination);
                    sender.startSending();
                });
            }
            long loadStart = System.nanoTime();
            List<Kill> kills = new ServerKiller(servers, config, progress, clients.size(), log).run(loadStart);
            long ackedAtEnd = progress.acked.sum();
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            onAllSenders(clients, ResendingSender::stopSending);

            long drainStart = System.nanoTime();
            long drainUntil = drainStart + config.drain().toNanos();
            boolean settled = progress.settled(topology.fanout());
            while (!settled && System.nanoTime() - drainUntil < 0) {
                LockSupport.parkNanos(DRAIN_POLL_NANOS);
                settled = progress.settled(topology.fanout());
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            stopAll(clients);
            return new KillRunResult(name(), clients.size(), topology.senders(), topology.fanout(), config.window(),
                    config.killEvery().toMillis() / 1000.0, config.kills(), kills, loadSeconds,
                    ackedAtEnd / loadSeconds, drainSeconds, settled, traffic(clients), tally(clients));
        } finally {
            stopAll(clients);
        }
    }

    private void logInAll(List<ResumingClient> clients) throws Exception {
        try {
            BoundedConcurrency.run(clients.size(), config.loginConcurrency(), i -> clients.get(i).start())
                    .get(SETUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            String why = clients.stream().map(ResumingClient::lastFailure).filter(f -> f != null).findFirst()
                    .orElse(String.valueOf(e instanceof ExecutionException ? e.getCause() : e));
            throw new IllegalStateException("logging in " + clients.size() + " clients failed: " + why, e);
        }
    }

    private static void onAllSenders(List<ResumingClient> clients, Consumer<ResendingSender> action)
            throws Exception {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (ResumingClient client : clients) {
            if (client.sender() != null) {
                done.add(client.onLoop(() -> action.accept(client.sender())));
            }
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Stops every client and waits: afterwards their state is still and visible to this thread. */
    private static void stopAll(List<ResumingClient> clients) throws Exception {
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (ResumingClient client : clients) {
            stopped.add(client.stop());
        }
        try {
            CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new))
                    .get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("clients did not stop within " + STOP_TIMEOUT_SECONDS + " s", e);
        }
    }

    private static Traffic traffic(List<ResumingClient> clients) {
        long sent = 0, acknowledged = 0, unacknowledged = 0, resent = 0, refused = 0, reconnects = 0, failovers = 0;
        long tokenFallbacks = 0, connectFailures = 0, loginFailures = 0, unmatchedAcks = 0, otherErrors = 0;
        String firstRefusal = null;
        for (ResumingClient client : clients) {
            ResendingSender sender = client.sender();
            if (sender != null) {
                sent += sender.sent();
                acknowledged += sender.acked().count();
                unacknowledged += sender.unacknowledged();
                resent += sender.resent();
                refused += sender.refused();
                unmatchedAcks += sender.unmatchedAcks();
                if (firstRefusal == null) {
                    firstRefusal = sender.firstRefusal();
                }
            }
            reconnects += client.reconnects();
            failovers += client.failovers();
            tokenFallbacks += client.tokenFallbacks();
            connectFailures += client.connectFailures();
            loginFailures += client.loginFailures();
            otherErrors += client.otherErrors();
        }
        return new Traffic(sent, acknowledged, unacknowledged, resent, refused, firstRefusal, reconnects, failovers,
                tokenFallbacks, connectFailures, loginFailures, unmatchedAcks, otherErrors);
    }

    private LedgerTally tally(List<ResumingClient> clients) {
        Map<Integer, SequenceTracker> acknowledged = new HashMap<>();
        for (ResumingClient client : clients) {
            if (client.sender() != null) {
                acknowledged.put(client.sender().index(), client.sender().acked());
            }
        }
        LedgerTally total = LedgerTally.NONE;
        for (int i = 0; i < clients.size(); i++) {
            total = total.plus(clients.get(i).ledger().tally(acknowledged, topology.sendersHeardBy(i)));
        }
        return total;
    }
}
