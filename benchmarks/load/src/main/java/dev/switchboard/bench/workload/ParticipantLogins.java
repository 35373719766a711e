package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.LoginRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.IntFunction;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Connects and logs in the participants of a messaging run, a bounded number at a time. */
final class ParticipantLogins {

    /** Generous: a thousand logins with password hashing on a busy two-core machine. */
    private static final long TIMEOUT_SECONDS = 60;

    private ParticipantLogins() {}

    /**
     * Logs participant i in as {@code names.name(role, i)} on {@code serverOf.apply(i)}; on failure closes those
     * that made it and throws.
     */
    static void loginAll(ClientTransport transport, IntFunction<InetSocketAddress> serverOf,
            BenchClientSettings settings,
            List<Participant> participants, UserNames names, String role, int concurrency) throws Exception {
        try {
            BoundedConcurrency.run(participants.size(), concurrency, i -> {
                Participant p = participants.get(i);
                LoginRequest login = LoginRequest.withPassword(names.name(role, i), Session.PASSWORD);
                return Session.open(transport, serverOf.apply(i), null, settings, p, login).thenApply(session -> {
                    p.session(session);
                    return session;
                });
            }).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            for (Participant p : participants) {
                if (p.session() != null) {
                    p.client().close();
                }
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("logging in " + participants.size() + " clients failed: " + cause, cause);
        }
    }
}
