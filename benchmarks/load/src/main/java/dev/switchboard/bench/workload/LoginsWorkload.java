package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.client.LoopbackSources;
import dev.switchboard.bench.measure.LatencyRecorder;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.target.ServerAddresses;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Logins per second, each on a fresh connection (connect, log in, close), in three measured phases: new users with
 * a password (registration), existing users with a password, and existing users with the resume token of their
 * previous login ({@code {userName, token}}; each response's token replaces the old one, so servers that rotate
 * tokens work). Each loop owns its users, so no user logs in twice at once.
 */
public final class LoginsWorkload implements Workload {

    private static final long PHASE_GRACE_SECONDS = 30;

    private final LoginsConfig config;

    public LoginsWorkload(LoginsConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "logins";
    }

    /** How a phase logs in: with a new user, or with one of the loop's existing users. */
    private enum Kind { FRESH, PASSWORD, TOKEN }

    /** A user one loop owns, with its latest resume token. Touched only by that loop's chain. */
    private static final class User {
        final String name;
        volatile String token;

        User(String name, String token) {
            this.name = name;
            this.token = token;
        }
    }

    @Override
    public LoginsResult run(ClientTransport transport, ServerAddresses servers) throws Exception {
        UserNames names = UserNames.fresh();
        List<List<User>> owned = new ArrayList<>();
        for (int i = 0; i < config.concurrency(); i++) {
            owned.add(new ArrayList<>());
        }
        Phases phases = new Phases(transport, servers, names, owned);
        if (!config.warmup().isZero()) {
            phases.run("warmup", Kind.FRESH, config.warmup());
        }
        List<LoginPhaseResult> results = new ArrayList<>();
        results.add(phases.run("fresh-password", Kind.FRESH, config.phase()));
        results.add(phases.run("existing-password", Kind.PASSWORD, config.phase()));
        results.add(phases.run("token", Kind.TOKEN, config.phase()));
        return new LoginsResult(config.concurrency(), results);
    }

    /** Runs phases over the loops' users; the connection counter spreads source addresses across phases. */
    private final class Phases {

        private final ClientTransport transport;
        private final ServerAddresses servers;
        private final UserNames names;
        private final List<List<User>> owned;
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicInteger freshUsers = new AtomicInteger();

        Phases(ClientTransport transport, ServerAddresses servers, UserNames names, List<List<User>> owned) {
            this.transport = transport;
            this.servers = servers;
            this.names = names;
            this.owned = owned;
        }

        LoginPhaseResult run(String label, Kind kind, Duration length) throws Exception {
            LatencyRecorder latency = new LatencyRecorder();
            latency.measureFrom(System.nanoTime());
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            long start = System.nanoTime();
            long deadline = start + length.toNanos();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            for (int loop = 0; loop < config.concurrency(); loop++) {
                Loop state = new Loop(owned.get(loop), kind, deadline, latency, ok, failed, firstFailure);
                loops.add(state.next());
            }
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new))
                    .get(length.toSeconds() + PHASE_GRACE_SECONDS, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new LoginPhaseResult(label, ok.get(), failed.get(), seconds, ok.get() / seconds,
                    latency.drain(), firstFailure.get());
        }

        /** One connect-login-close loop until the deadline. */
        private final class Loop {
            private final List<User> users;
            private final Kind kind;
            private final long deadline;
            private final LatencyRecorder latency;
            private final AtomicLong ok;
            private final AtomicLong failed;
            private final AtomicReference<String> firstFailure;
            private int cursor;

            Loop(List<User> users, Kind kind, long deadline, LatencyRecorder latency, AtomicLong ok,
                    AtomicLong failed, AtomicReference<String> firstFailure) {
                this.users = users;
                this.kind = kind;
                this.deadline = deadline;
                this.latency = latency;
                this.ok = ok;
                this.failed = failed;
                this.firstFailure = firstFailure;
            }

            CompletableFuture<Void> next() {
                if (System.nanoTime() - deadline >= 0 || (kind != Kind.FRESH && users.isEmpty())) {
                    return CompletableFuture.completedFuture(null);
                }
                User user = kind == Kind.FRESH
                        ? new User(names.name("l", freshUsers.getAndIncrement()), null)
                        : users.get(cursor++ % users.size());
                LoginRequest login = kind == Kind.TOKEN
                        ? LoginRequest.withToken(user.name, user.token)
                        : LoginRequest.withPassword(user.name, Session.PASSWORD);
                int connection = connections.getAndIncrement();
                InetSocketAddress local = LoopbackSources.address(Math.floorMod(connection, config.sourceAddresses()));
                long begun = System.nanoTime();
                // Connection after connection goes to the next server: a token is spent on another than issued it.
                return Session.open(transport, servers.get(connection), local, config.client(), ClientListener.NONE, login)
                        .thenCompose(session -> {
                            latency.record(begun, System.nanoTime());
                            ok.incrementAndGet();
                            if (session.login().token() != null) {
                                user.token = session.login().token();
                            }
                            if (kind == Kind.FRESH) {
                                users.add(user);
                            }
                            return session.client().close();
                        })
                        .handle((done, failure) -> {
                            if (failure != null) {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, String.valueOf(failure));
                            }
                            return null;
                        })
                        // Async: a failure that completes at once must not recurse down this stack.
                        .thenComposeAsync(ignored -> next(), transport.executor());
            }
        }
    }
}
