package dev.switchboard.im.server.auth;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionLog;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LogoutAllRequest;
import dev.switchboard.im.protocol.LogoutAllResponse;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.chat.DeliveryService;
import dev.switchboard.im.server.metrics.ImMetrics;
import dev.switchboard.im.server.metrics.ImMetrics.LoginMethod;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.OtherNodes;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserExistsException;
import dev.switchboard.im.store.UserStore;
import dev.switchboard.framework.ConnectionAttribute;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Login and logout. Login is a blocking handler: it hashes passwords and waits for the store on the bounded
 * business executor, and the framework holds the connection's later packets until it returns, so a message
 * pipelined behind a login is handled as logged in.
 */
@Singleton
public final class LoginHandlers {

    private static final Logger log = LoggerFactory.getLogger(LoginHandlers.class);
    private static final String WRONG = "wrong user name or password";
    private static final int MAX_PASSWORD = 1_024;
    private static final long STORE_TIMEOUT_MS = 10_000;
    /** The resume token issued to this connection's login, revoked at logout. */
    private static final ConnectionAttribute<String> ISSUED_TOKEN = DeviceCloser.ISSUED_TOKEN;

    private final UserStore users;
    private final MessageStore messages;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final SharedLoginThrottle sharedThrottle;
    private final ResumeTokens tokens;
    private final SessionRegistry sessions;
    private final DeliveryService delivery;
    private final ImServerSettings settings;
    private final ImMetrics metrics;
    private final DeviceCloser closer;
    private final OtherNodes otherNodes;

    @Inject
    public LoginHandlers(UserStore users, MessageStore messages, PasswordHasher hasher, LoginThrottle throttle,
            ResumeTokens tokens, SessionRegistry sessions, DeliveryService delivery, ImServerSettings settings,
            ImMetrics metrics, DeviceCloser closer, OtherNodes otherNodes, SharedLoginThrottle sharedThrottle) {
        this.sharedThrottle = sharedThrottle;
        this.otherNodes = otherNodes;
        this.users = users;
        this.messages = messages;
        this.hasher = hasher;
        this.throttle = throttle;
        this.tokens = tokens;
        this.sessions = sessions;
        this.delivery = delivery;
        this.settings = settings;
        this.metrics = metrics;
        this.closer = closer;
    }

    /** Replies itself (before the backlog starts flowing), so it returns null on success. */
    @Handles(blocking = true)
    public LoginResponse login(LoginRequest request, Connection connection) throws Exception {
        if (!connection.isOpen()) {
            // Queued behind other logins until after the connection closed (the login deadline, or the client
            // gave up): spending its token or hashing its password now would only cost the owner their token.
            return null;
        }
        String name = request.userName();
        boolean v2 = ProtocolVersion.isV2(connection.protocolVersion());
        boolean withToken = v2 && request.token() != null;
        boolean triesPassword = !withToken || request.password() != null;
        // A refusal counts against the password when one was given (the token, if any, is tried first and failed).
        LoginMethod attempted = triesPassword ? LoginMethod.PASSWORD : LoginMethod.TOKEN;
        Optional<String> badName = UserNameRule.refusal(name);
        if (badName.isPresent()) {
            metrics.loginRefused(attempted);
            // DEBUG, as for any request refused with a reply; and not the name, which may hold line breaks.
            ConnectionLog.at(log, Level.DEBUG, connection).log("[{}] login refused: {}", connection.id(),
                    badName.get());
            return LoginResponse.failed(badName.get());
        }
        String source = sourceOf(connection);
        // Only password attempts are throttled: a 256-bit token cannot be guessed, a bad one costs a lookup and no
        // hash, and counting the stale tokens of many clients behind one address after a server crash would lock
        // them all out. Counted before any hashing, so that parallel guesses cannot race it; refunded on success.
        if (triesPassword) {
            long locked = throttle.reserve(source, name);
            if (locked == 0) {
                // This node let it through; the cluster's failures have the last word (0 on a single node).
                locked = await(sharedThrottle.locked(source, name));
                if (locked > 0) {
                    throttle.cancel(source, name);
                }
            }
            if (locked > 0) {
                metrics.loginRefused(attempted);
                // DEBUG: the failures that locked it were reported; a guesser must not buy a line per try.
                ConnectionLog.at(log, Level.DEBUG, connection).log("[{}] login as {} refused: throttled for {} ms",
                        connection.id(), name, locked);
                return LoginResponse.failed("too many failed logins; retry in " + (locked / 1000 + 1) + " s");
            }
        }
        Optional<UserAccount> account = withToken ? byToken(name, request.token()) : Optional.empty();
        boolean viaToken = account.isPresent();
        if (account.isEmpty() && triesPassword) {
            account = byPassword(name, request.password());
        }
        if (account.isEmpty()) {
            metrics.loginRefused(attempted);
            if (triesPassword) {
                sharedThrottle.failed(source, name); // this node's throttle counted it when it reserved it
            }
            String reason = withToken && request.password() == null ? "invalid or expired token" : WRONG;
            // A client's doing: the connection's one INFO line, shared with the framework's reports about it.
            ConnectionLog.report(log, connection, "[{}] login as {} failed: {}", connection.id(), name, reason);
            return LoginResponse.failed(reason);
        }
        if (triesPassword) {
            throttle.succeeded(source, name);
            sharedThrottle.succeeded(name);
        }
        UserAccount user = account.get();
        if (viaToken) {
            // A token now spent no longer speaks for the connection it was issued to, on any node.
            closer.closeIssued(user.userId(), request.token(), connection);
        }
        String token = v2 && connection.isOpen() ? await(tokens.issue(user.userId())) : null;
        // A lastSeq beyond what the account was ever sent would skip messages until seq caught up: cap it.
        long startSeq = v2 && request.lastSeq() != null && request.lastSeq() >= 0
                ? Math.min(request.lastSeq(), await(messages.lastSeq(user.userId())))
                : await(messages.acknowledgedSeq(user.userId()));

        DeviceSession device = new DeviceSession(connection, user.userId(), user.userName(), startSeq);
        LoginResponse response = new LoginResponse(true, null, user.userId(), user.userName(), token);
        int maxDevices = settings.maxDevices();
        // The account's devices on other nodes count against its limit too (0 on a single node, or when Redis
        // cannot say: the limit is then this node's). Two logins at the same moment on two nodes may both see the
        // count before the other's device: at most one device per node over the limit, until one leaves.
        int elsewhere = await(otherNodes.devicesElsewhere(user.userId()));
        LoginMethod method = viaToken ? LoginMethod.TOKEN : LoginMethod.PASSWORD;
        // Findable by the other nodes before the answer: a log out everywhere sent right after it must close this.
        CompletionStage<Void> findable = otherNodes.loginStarting(user.userId());
        boolean handedOver = false;
        try {
            await(findable);
            bindOnEventLoop(connection, device, maxDevices - elsewhere, method, token, response);
            handedOver = true;
        } finally {
            if (!handedOver) {
                otherNodes.loginEnded(user.userId());
            }
        }
        ConnectionLog.at(log, Level.DEBUG, connection).log("[{}] logged in {} (v{}) from seq {}", connection.id(),
                device, connection.protocolVersion(),
                startSeq);
        return null;
    }

    private void bindOnEventLoop(Connection connection, DeviceSession device, int devicesAllowedHere,
            LoginMethod method, String token, LoginResponse response) {
        // One task on the connection's event loop, where sessions are bound and unbound: the previous login on this
        // connection ends (nothing of it is written after this point), the response is written before any push can
        // find the new session, and the session is registered before the client can act on the response
        // (registering after the write lost pushes such as a CreateGroupResponse sent right after login). The
        // framework dispatches the connection's next packet only after this task. A connection that closed
        // meanwhile is not registered: its close handler has already run.
        connection.execute(() -> {
            try {
                bind(connection, device, devicesAllowedHere, method, token, response);
            } finally {
                otherNodes.loginEnded(device.userId());
            }
        });
    }

    /** On the connection's event loop: registers the login, or refuses it when the account has too many devices. */
    private void bind(Connection connection, DeviceSession device, int devicesAllowedHere, LoginMethod method,
            String token, LoginResponse response) {
        if (!connection.isOpen()) {
            return;
        }
        if (!sessions.bind(device, devicesAllowedHere)) {
            metrics.loginRefused(method);
            connection.logout();
            if (token != null) {
                tokens.revoke(token);
            }
            connection.send(LoginResponse.failed("too many devices logged in (at most " + settings.maxDevices()
                    + "); log out elsewhere first"));
            return;
        }
        connection.attr(ISSUED_TOKEN, token);
        connection.authenticate(new AccountPrincipal(device.userId(), device.userName()));
        connection.send(response);
        metrics.loggedIn(method);
        delivery.start(device);
    }

    /** The peer's IP address, the unit the throttle counts guesses by. */
    private static String sourceOf(Connection connection) {
        if (connection.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(connection.remoteAddress());
    }

    private Optional<UserAccount> byToken(String name, String token) throws Exception {
        Optional<String> userId = await(tokens.spend(token));
        if (userId.isEmpty()) {
            return Optional.empty();
        }
        return await(users.findById(userId.get())).filter(user -> user.userName().equals(name));
    }

    private Optional<UserAccount> byPassword(String name, String password) throws Exception {
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
            return Optional.empty();
        }
        Optional<UserAccount> existing = await(users.findByName(name));
        if (existing.isPresent()) {
            Optional<UserAccount> matched = existing.filter(user -> hasher.matches(password, user.password()));
            if (matched.isPresent() && hasher.needsUpgrade(matched.get().password())) {
                // The configured cost rose since this hash was made: only now, with the password at hand, can the
                // stored hash be made as strong as new ones.
                return await(users.updatePassword(matched.get().userId(), hasher.hash(password))).or(() -> matched);
            }
            return matched;
        }
        if (!settings.openRegistration()) {
            return Optional.empty();
        }
        try {
            return Optional.of(await(users.register(name, hasher.hash(password))));
        } catch (UserExistsException raced) {
            // Someone registered the name between our lookup and insert: check against theirs.
            return await(users.findByName(name)).filter(user -> hasher.matches(password, user.password()));
        }
    }

    @Handles
    public LogoutResponse logout(LogoutRequest request, Connection connection) {
        String token = connection.attr(ISSUED_TOKEN);
        if (token != null) {
            connection.attr(ISSUED_TOKEN, null);
            tokens.revoke(token);
        }
        sessions.unbind(connection);
        connection.logout();
        return new LogoutResponse(true, null);
    }

    /**
     * Logs the account out everywhere: revokes all its resume tokens, closes its other connections and logs this
     * one out. For a lost or stolen device.
     */
    @Handles
    public CompletionStage<LogoutAllResponse> logoutAll(LogoutAllRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection); // a command of version 2, as its reply
        int closed = closer.closeAll(me.userId(), connection); // this node's; the other nodes close theirs
        connection.attr(ISSUED_TOKEN, null);
        sessions.unbind(connection);
        connection.logout();
        int closedConnections = closed;
        return tokens.revokeAll(me.userId()).thenApply(revoked -> new LogoutAllResponse(closedConnections, revoked));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("store did not answer within " + STORE_TIMEOUT_MS + " ms", e);
        }
    }
}
