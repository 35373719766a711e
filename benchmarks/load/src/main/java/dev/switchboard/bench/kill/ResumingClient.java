package dev.switchboard.bench.kill;

import dev.switchboard.bench.client.BenchClient;
import dev.switchboard.bench.client.BenchClientSettings;
import dev.switchboard.bench.client.ClientListener;
import dev.switchboard.bench.client.ClientTransport;
import dev.switchboard.bench.client.LoginRefused;
import dev.switchboard.bench.protocol.ErrorResponse;
import dev.switchboard.bench.protocol.GroupMessageResponse;
import dev.switchboard.bench.protocol.LoginRequest;
import dev.switchboard.bench.protocol.LoginResponse;
import dev.switchboard.bench.protocol.MessageResponse;
import dev.switchboard.bench.protocol.SendAck;
import dev.switchboard.bench.target.ServerAddresses;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * One account that stays logged in through server crashes, as a real v2 client does: when its connection drops
 * it reconnects with {@link Backoff}, logs in with its latest resume token and as {@code lastSeq} the highest seq
 * below which it has everything ({@link RecipientLedger#lastSeq()}), and its {@link ResendingSender} (if it sends)
 * resends what has no SendAck. Every delivery goes to the account's {@link RecipientLedger}, across connections.
 *
 * <p>With several servers (a cluster's nodes) it starts on its own ({@link ServerAddresses#indexForClient}) and,
 * whenever a connection drops or cannot be opened, tries the next one in the list ({@link ServerAddresses#next}):
 * a killed node's clients fail over to the others and resume there, with the same token and {@code lastSeq}.
 *
 * <p>A token is spent when it logs in; if the server dies after spending it but before its LoginResponse (with
 * the new token) reaches the client, the client holds a dead token. Then, as a real client would ask its user, it
 * logs in with the password on the same connection, and counts a token fallback.
 *
 * <p>Confined to one event loop, on which every connection of the account is opened, so its state needs no
 * locks; {@link #start} and {@link #stop} hand over to it and their futures hand the results back.
 */
final class ResumingClient implements ClientListener {

    /** The password of every account of a kill run. */
    static final String PASSWORD = "bench-password";
    private static final Duration FIRST_RETRY = Duration.ofMillis(20);
    /** Short: a restarted server is back within seconds, and every idle client is a client not under test. */
    private static final Duration LONGEST_RETRY = Duration.ofMillis(500);
    /** A server that takes this long to answer a login is stuck; drop the connection and try again. */
    private static final long LOGIN_TIMEOUT_SECONDS = 15;
    /** The server's reason for a token it does not know; any other refusal is retried later as it is. */
    private static final String TOKEN_REFUSED = "invalid or expired token";

    private final String userName;
    private final ClientTransport transport;
    private final EventLoop loop;
    private final ServerAddresses servers;
    private final BenchClientSettings settings;
    private final ResendingSender sender;
    private final KillProgress progress;
    private final RecipientLedger ledger;
    private final Backoff backoff = new Backoff(FIRST_RETRY, LONGEST_RETRY);
    private final CompletableFuture<ResumingClient> firstLogin = new CompletableFuture<>();
    private BenchClient connection;
    /** The server the next connect goes to, and the one the last login was on (-1 before the first). */
    private int serverIndex;
    private int loggedInOn = -1;
    private long failovers;
    private volatile String userId;
    private String token;
    private boolean online;
    private boolean stopped;
    private long logins;
    private long tokenFallbacks;
    private long connectFailures;
    private long loginFailures;
    private String lastFailure;
    private long foreign;
    private long errors;
    private long malformed;

    /**
     * @param clientNumber places the account on a server: {@code servers.indexForClient(clientNumber)} first
     * @param sender this account's sending, or {@code null} if it only receives
     */
    ResumingClient(String userName, ClientTransport transport, ServerAddresses servers, int clientNumber,
            BenchClientSettings settings, ResendingSender sender, KillProgress progress) {
        this.userName = userName;
        this.transport = transport;
        this.loop = transport.nextLoop();
        this.servers = servers;
        this.serverIndex = servers.indexForClient(clientNumber);
        this.settings = settings;
        this.sender = sender;
        this.progress = progress;
        this.ledger = new RecipientLedger(userName, 0);
    }

    /** Connects and logs in with the password (registering the account); completes at the first login. */
    CompletableFuture<ResumingClient> start() {
        loop.execute(this::connect);
        return firstLogin;
    }

    /** The current connection; for setting up, after {@link #start} completed and before any kill. */
    BenchClient connection() {
        return connection;
    }

    String userId() {
        return userId;
    }

    ResendingSender sender() {
        return sender;
    }

    /** Runs {@code action} on this client's event loop; completes after it ran. */
    CompletableFuture<Void> onLoop(Runnable action) {
        return CompletableFuture.runAsync(action, loop);
    }

    /** Stops reconnecting and closes the connection; completes once closed, after which nothing here changes. */
    CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            stopped = true;
            goneOffline();
            BenchClient open = connection;
            connection = null;
            if (open == null) {
                done.complete(null);
            } else {
                malformed += open.malformedPackets();
                open.close().whenComplete((v, failure) -> done.complete(null));
            }
        });
        return done;
    }

    private void connect() {
        if (stopped) {
            return;
        }
        InetSocketAddress server = servers.get(serverIndex);
        transport.connect(server, null, settings, this, loop).whenComplete((client, failure) -> {
            if (failure != null) {
                connectFailures++;
                lastFailure = "connect " + server + ": " + failure.getMessage();
                serverIndex = servers.next(serverIndex);
                retryLater();
            } else if (stopped) {
                client.close();
            } else {
                connection = client;
                logIn(client, token == null);
            }
        });
    }

    private void logIn(BenchClient client, boolean withPassword) {
        LoginRequest request = withPassword
                ? new LoginRequest(userName, PASSWORD, null, ledger.lastSeq())
                : new LoginRequest(userName, null, token, ledger.lastSeq());
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (connection == client && !online) {
                lastFailure = "login: no answer within " + LOGIN_TIMEOUT_SECONDS + " s";
                client.close();
            }
        }, LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        client.login(request).whenComplete((response, failure) -> {
            timeout.cancel(false);
            if (failure == null) {
                online(client, response);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof LoginRefused refused && TOKEN_REFUSED.equals(refused.reason()) && !withPassword
                    && client.channel().isActive()) {
                tokenFallbacks++;
                token = null;
                logIn(client, true);
                return;
            }
            if (client.channel().isActive()) {
                loginFailures++;
                lastFailure = "login: " + cause.getMessage();
            }
            client.close(); // onClosed tries again
        });
    }

    private void online(BenchClient client, LoginResponse response) {
        token = response.token();
        userId = response.userId();
        online = true;
        progress.cameOnline();
        logins++;
        if (loggedInOn >= 0 && loggedInOn != serverIndex) {
            failovers++;
        }
        loggedInOn = serverIndex;
        progress.logins.increment();
        backoff.reset();
        if (sender != null) {
            sender.online(client);
        }
        client.flush();
        firstLogin.complete(this);
    }

    private void goneOffline() {
        if (online) {
            online = false;
            progress.wentOffline();
        }
        if (sender != null) {
            sender.offline();
        }
    }

    private void retryLater() {
        if (!stopped) {
            loop.schedule(this::connect, backoff.nextDelayNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onClosed(BenchClient client) {
        if (client != connection) {
            return;
        }
        malformed += client.malformedPackets();
        connection = null;
        goneOffline();
        serverIndex = servers.next(serverIndex); // its server may be gone; the next one takes over
        retryLater();
    }

    @Override
    public void onDelivery(BenchClient client, MessageResponse delivery) {
        receive(delivery.seq(), delivery.message());
    }

    @Override
    public void onGroupDelivery(BenchClient client, GroupMessageResponse delivery) {
        receive(delivery.seq(), delivery.message());
    }

    @Override
    public void onInboxEvent(BenchClient client, long seq) {
        ledger.recordEvent(seq);
    }

    private void receive(Long seq, String text) {
        MessageKey key = MessageKey.of(text);
        if (seq == null || key == null) {
            foreign++;
            return;
        }
        long before = ledger.distinctMessages();
        ledger.record(seq, key);
        progress.firstDeliveries.add(ledger.distinctMessages() - before);
    }

    @Override
    public void onSendAck(BenchClient client, SendAck ack) {
        if (sender != null) {
            sender.onSendAck(ack);
        } else {
            errors++;
        }
    }

    @Override
    public void onError(BenchClient client, ErrorResponse error) {
        if (error.refusesAMessage() && sender != null) {
            sender.onRefused(error);
        } else {
            errors++;
        }
    }

    RecipientLedger ledger() {
        return ledger;
    }

    /** Successful logins after the first: one per resume. */
    long reconnects() {
        return Math.max(0, logins - 1);
    }

    /** Resumes on another server than the previous login's. */
    long failovers() {
        return failovers;
    }

    long tokenFallbacks() {
        return tokenFallbacks;
    }

    long connectFailures() {
        return connectFailures;
    }

    long loginFailures() {
        return loginFailures;
    }

    /** What went wrong last while connecting or logging in, for a setup that never got online. */
    String lastFailure() {
        return lastFailure;
    }

    /** Deliveries without a seq or a stamp of this run, errors that answered no message, unreadable packets. */
    long otherErrors() {
        return foreign + errors + malformed;
    }
}
