package dev.switchboard.im.client;

import dev.switchboard.framework.Client;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionLog;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.SendAck;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One user's session with the server: logs in on every connect (v2: resuming with the last token and seq, falling
 * back to the password), sends what the console asks for, tracks seqs and acknowledges deliveries, and retries
 * unacknowledged v2 messages after a reconnect.
 *
 * <p>Threading: connect/disconnect callbacks and inbound packets arrive on the connection's event loop and never
 * block; {@link #submit} and {@link #login()} are called from the console thread. Login state is guarded by
 * {@code this}; {@link SeqTracker} and {@link PendingRequests} guard themselves. Delivery acks are coalesced: the
 * first delivery of a read batch queues one task behind the batch on the event loop, which sends one cumulative
 * {@link DeliveryAck}.
 */
final class ChatSession {

    private static final Logger log = LoggerFactory.getLogger(ChatSession.class);

    private final ClientSettings settings;
    private final Consumer<String> out;
    private final KnownNames names;
    private final SeqTracker seqs = new SeqTracker();
    private final PendingRequests pending = new PendingRequests();
    private final AtomicBoolean ackQueued = new AtomicBoolean();
    /** Logins and the group-name lookups after them not yet answered: {@link PendingRequests} tracks the rest. */
    private final AtomicInteger exchangesInFlight = new AtomicInteger();
    private final CompletableFuture<Boolean> firstLogin = new CompletableFuture<>();
    private volatile Client client;
    private volatile boolean closing;

    // Guarded by this.
    private String password;
    private String token;
    private LoginState state = LoginState.WANTED;
    private boolean everConnected; // connection history, for the "restored" line; not part of the login state

    /**
     * @param out where event lines go; must be thread-safe
     * @param names the names the console resolves; a v2 login fills in the groups the user is in
     */
    ChatSession(ClientSettings settings, Consumer<String> out, KnownNames names) {
        this.settings = settings;
        this.out = out;
        this.names = names;
        this.password = settings.password();
    }

    /** Sets the client; must happen before it connects. */
    void attach(Client connectedClient) {
        this.client = connectedClient;
    }

    // ---- connection life cycle (event loop) ----

    /** On every connect: logs in unless the user logged out. */
    void connected(Connection connection) {
        boolean login;
        synchronized (this) {
            if (everConnected) {
                out.accept("[connection] restored " + client.server());
            }
            everConnected = true;
            login = state.wantsLogin();
        }
        if (login) {
            login(true);
        }
    }

    /** On every lost connection. */
    void disconnected(Connection connection) {
        synchronized (this) {
            state = state.disconnected();
        }
        pending.connectionLost();
        if (!closing) {
            out.accept("[connection] lost; reconnecting");
        }
    }

    /** The client is being closed on purpose: stay quiet about the lost connection. */
    void closing() {
        closing = true;
    }

    // ---- login ----

    /** Completes with whether the first login attempt succeeded. */
    CompletableFuture<Boolean> firstLogin() {
        return firstLogin;
    }

    /** The console's {@code login}: logs in again with the password. */
    void login() {
        synchronized (this) {
            if (state.online()) {
                out.accept("[info] already logged in as " + settings.user());
                return;
            }
            state = state.loginRequested();
        }
        if (client == null || !client.isConnected()) {
            out.accept("[info] not connected; logging in when the connection is back");
            return;
        }
        login(false);
    }

    /** Whether the last password login was refused (the console may ask for another password). */
    synchronized boolean passwordRejected() {
        return state == LoginState.REFUSED;
    }

    synchronized void password(String newPassword) {
        this.password = newPassword;
    }

    private void login(boolean mayUseToken) {
        LoginRequest request;
        synchronized (this) {
            if (!settings.v2()) {
                request = LoginRequest.withPassword(settings.user(), password);
            } else if (mayUseToken && token != null) {
                request = new LoginRequest(settings.user(), null, token, seqs.lastSeq());
            } else {
                request = new LoginRequest(settings.user(), password, null, seqs.lastSeq());
            }
        }
        exchangesInFlight.incrementAndGet();
        client.request(request, LoginResponse.class, settings.requestTimeout())
                .whenComplete((response, error) -> {
                    try {
                        loginAnswered(request, response, error);
                    } finally {
                        // After the answer's own follow-ups (a group lookup, a password retry) are counted.
                        exchangesInFlight.decrementAndGet();
                    }
                });
    }

    private void loginAnswered(LoginRequest request, LoginResponse response, Throwable error) {
        boolean viaToken = request.token() != null;
        if (error == null && response.success()) {
            synchronized (this) {
                state = state.loggedIn();
                token = response.token();
            }
            seqs.loggedIn();
            out.accept(EventPrinter.loggedIn(response, viaToken));
            if (settings.v2()) {
                // The console reads its first command only once the names are known (or asking failed).
                learnGroupNames().whenComplete((ignored, failure) -> firstLogin.complete(true));
            } else {
                firstLogin.complete(true);
            }
            for (ChatRequest message : pending.resend()) {
                send(message);
            }
            return;
        }
        Throwable cause = unwrap(error);
        if (cause instanceof IOException) {
            // The connection dropped mid-login; the reconnect logs in again.
            log.debug("login interrupted: {}", cause.toString());
            return;
        }
        String reason = cause != null ? describe(cause) : response.reason();
        if (viaToken) {
            out.accept("[login] token rejected (" + EventPrinter.text(reason) + "); using the password");
            synchronized (this) {
                token = null;
            }
            login(false);
            return;
        }
        if (cause == null) { // refused by the server; other failures (a timeout, an error) leave it WANTED
            synchronized (this) {
                state = state.refused();
            }
        }
        out.accept(EventPrinter.loginFailed(settings.user(), reason));
        firstLogin.complete(false);
    }

    /**
     * Asks, without printing anything, which groups the user is in, so that the console takes the names of groups
     * made in earlier runs or on other devices from the first command on (a failure only leaves them unknown until
     * {@code groups}).
     */
    private CompletableFuture<?> learnGroupNames() {
        exchangesInFlight.incrementAndGet();
        return client.request(new MyGroupsRequest(), MyGroupsResponse.class, settings.requestTimeout())
                .whenComplete((response, error) -> {
                    try {
                        if (error == null && response.groups() != null) {
                            response.groups().forEach(group -> names.group(group.groupId(), group.groupName()));
                        } else if (error != null) {
                            log.debug("could not learn the group names: {}", error.toString());
                        }
                    } finally {
                        exchangesInFlight.decrementAndGet(); // once the names are known
                    }
                });
    }

    // ---- outbound (console thread) ----

    /** Sends a parsed request, or queues a v2 message until the next login. */
    void submit(ChatRequest request) {
        boolean online;
        synchronized (this) {
            online = state.online();
            if (online && request.packet() instanceof LogoutRequest) {
                // Commands after this one (a script does not wait for the reply) see the logged-out state.
                state = state.loggedOut();
                token = null;
            }
        }
        if (!online) {
            if (request.retriable() && wantsLogin()) {
                if (pending.add(request, false)) {
                    out.accept("[info] not connected; queued clientMsgId=" + request.clientMsgId());
                } else {
                    out.accept("[error] too many unacknowledged messages; not sent");
                }
            } else {
                out.accept("[error] not logged in" + (wantsLogin() ? "; wait for the connection" : "; type login"));
            }
            return;
        }
        if (!pending.add(request, true)) {
            out.accept("[error] too many requests waiting for replies; not sent");
            return;
        }
        send(request);
    }

    private synchronized boolean wantsLogin() {
        return state.wantsLogin();
    }

    private void send(ChatRequest request) {
        client.send(request.packet()).whenComplete((ok, error) -> {
            if (error == null) {
                return;
            }
            pending.notSent(request);
            if (request.retriable()) {
                out.accept("[info] send failed; will retry clientMsgId=" + request.clientMsgId());
            } else {
                out.accept("[error] send failed: " + EventPrinter.text(describe(unwrap(error))));
            }
        });
    }

    // ---- inbound (event loop) ----

    void delivered(MessageResponse message, Connection connection) {
        if (isNew(message.seq(), connection)) {
            out.accept(EventPrinter.message(message));
        }
    }

    /** @param groupName the group's name if the client knows it, else null */
    void delivered(GroupMessageResponse message, String groupName, Connection connection) {
        pending.answered(message);
        if (isNew(message.seq(), connection)) {
            out.accept(EventPrinter.groupMessage(message, groupName));
        }
    }

    /** An event delivered through the inbox: printed unless it repeats a seq already seen. */
    void deliveredEvent(Long seq, Connection connection, String line) {
        if (isNew(seq, connection)) {
            out.accept(line);
        }
    }

    private boolean isNew(Long seq, Connection connection) {
        if (seq == null) {
            return true;
        }
        boolean fresh = seqs.accept(seq);
        if (!fresh && log.isDebugEnabled()) {
            ConnectionLog.at(log, Level.DEBUG, connection).log("[{}] dropping duplicate delivery seq {}",
                    connection.id(), seq);
        }
        if (ackQueued.compareAndSet(false, true)) {
            connection.execute(() -> flushAck(connection));
        }
        return fresh;
    }

    private void flushAck(Connection connection) {
        ackQueued.set(false);
        seqs.takeAck().ifPresent(seq -> connection.send(new DeliveryAck(seq)));
    }

    void acked(SendAck ack) {
        if (pending.answered(ack)) {
            out.accept(EventPrinter.sendAck(ack));
        } else {
            log.debug("ignoring repeated ack of {}", ack.clientMsgId());
        }
    }

    /** A reply to one of our requests, or a push of the same type: printed either way. */
    void replied(Object reply, String line) {
        pending.answered(reply);
        out.accept(line);
    }

    void loggedOut(LogoutResponse response) {
        pending.answered(response);
        out.accept(EventPrinter.logout(response));
    }

    /** A LoginResponse that no login was waiting for. */
    void unsolicited(LoginResponse response) {
        out.accept(EventPrinter.login(response));
    }

    void failed(ErrorResponse error) {
        ChatRequest request = pending.failed(error.requestCommand());
        out.accept(EventPrinter.error(error, request == null ? null : request.clientMsgId()));
    }

    /** Prints a line that needs no bookkeeping. */
    void print(String line) {
        out.accept(line);
    }

    // ---- shutdown ----

    /**
     * Waits up to {@code timeout} until no login, reply, message ack or delivery ack is outstanding (a script that
     * ends with {@code login} sees the answer).
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!settled()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return true;
    }

    private boolean settled() {
        return exchangesInFlight.get() == 0 && pending.isEmpty() && !seqs.ackDue() && !ackQueued.get();
    }

    /** How many v2 messages still wait for the server's acknowledgement. */
    int unackedMessages() {
        return pending.unackedCount();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "no answer from the server";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
