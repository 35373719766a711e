package dev.switchboard.bench.workload;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.LoginResponse;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** A logged-in connection: the client and the server's answer to its login. */
record Session(BenchClient client, LoginResponse login) {

    /** The password every benchmark user has. */
    static final String PASSWORD = "bench-password";

    /** Connects and logs in with a password; closes the connection if the login fails. */
    static CompletableFuture<Session> open(ClientTransport transport, InetSocketAddress server,
            InetSocketAddress local, BenchClientSettings settings, ClientListener listener, LoginRequest login) {
        return transport.connect(server, local, settings, listener).thenCompose(client -> client.login(login)
                .thenApply(response -> new Session(client, response))
                .whenComplete((session, failure) -> {
                    if (failure != null) {
                        client.close();
                    }
                }));
    }

    String userId() {
        return login.userId();
    }
}
