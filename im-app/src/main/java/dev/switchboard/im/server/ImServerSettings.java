package dev.switchboard.im.server;

import dev.switchboard.framework.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything an operator can set on the IM server. Immutable; build variations with the {@code with} methods.
 *
 * @param host address to bind
 * @param port port to bind, 0 for a free one
 * @param store {@code sqlite} or {@code memory}
 * @param dataDir where the SQLite store keeps its files
 * @param passwordIterations PBKDF2 iterations for new password hashes
 * @param openRegistration whether a login with an unknown name registers it
 * @param messagesPerSecond per-connection rate limit on requests (0 disables)
 * @param maxMessageLength longest message text, in characters
 * @param maxGroupSize most members a group may have
 * @param maxBodyLength largest frame body, in bytes
 * @param readerIdleTimeout close connections silent this long
 * @param authTimeout close connections not logged in within this time
 * @param hashThreads threads hashing passwords (bounded, off the event loops)
 * @param maxDevices most connections one account may have logged in at once; a login beyond it is refused
 * @param maxConnectionsPerIp connections one source address may have open at once (0 = no limit)
 * @param connectionRatePerIp new connections per second from one source address, bursts of twice that (0 = off)
 * @param framesPerSecond frames read per second from one connection, bursts of twice that, whatever they are;
 *     over it reading slows down (0 = off)
 * @param tls the certificate to serve TLS with, or empty for plaintext
 */
public record ImServerSettings(
        String host,
        int port,
        String store,
        Path dataDir,
        int passwordIterations,
        boolean openRegistration,
        int messagesPerSecond,
        int maxMessageLength,
        int maxGroupSize,
        int maxBodyLength,
        Duration readerIdleTimeout,
        Duration authTimeout,
        int hashThreads,
        int maxDevices,
        int maxConnectionsPerIp,
        int connectionRatePerIp,
        int framesPerSecond,
        Optional<ServerTls> tls) {

    /** Devices (connections logged in at once) per account by default: phones, laptops and a few browser tabs. */
    public static final int DEFAULT_MAX_DEVICES = 16;

    /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (210,000 is its figure for SHA-512). */
    public static final int DEFAULT_PASSWORD_ITERATIONS = 600_000;

    public ImServerSettings {
        if (!store.equals("sqlite") && !store.equals("memory")) {
            throw new IllegalArgumentException("store must be sqlite or memory, not " + store);
        }
        if (tls == null) {
            throw new IllegalArgumentException("tls == null; Optional.empty() for plaintext");
        }
        if (passwordIterations < 1) {
            throw new IllegalArgumentException("passwordIterations < 1: " + passwordIterations);
        }
        if (maxMessageLength < 1 || maxGroupSize < 2 || hashThreads < 1 || messagesPerSecond < 0 || maxDevices < 1
                || maxConnectionsPerIp < 0 || connectionRatePerIp < 0 || framesPerSecond < 0) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }

    /** The defaults: port 8000, SQLite in ./data, open registration. */
    public static ImServerSettings defaults() {
        return new ImServerSettings("0.0.0.0", 8000, "sqlite", Path.of("data"), DEFAULT_PASSWORD_ITERATIONS, true,
                1_000, 16_384, 5_000, 1 << 20, Duration.ofSeconds(15), Duration.ofSeconds(10),
                Math.max(2, Runtime.getRuntime().availableProcessors()), DEFAULT_MAX_DEVICES, 1_000, 100, 2_000,
                Optional.empty());
    }

    /** Settings for tests: a free loopback port, in-memory store, cheap hashing. */
    public static ImServerSettings forTests() {
        return defaults().withHost("127.0.0.1").withPort(0).withStore("memory").withPasswordIterations(1_000);
    }

    public ImServerSettings withHost(String value) {
        return new ImServerSettings(value, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withPort(int value) {
        return new ImServerSettings(host, value, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withStore(String value) {
        return new ImServerSettings(host, port, value, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withDataDir(Path value) {
        return new ImServerSettings(host, port, store, value, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withPasswordIterations(int value) {
        return new ImServerSettings(host, port, store, dataDir, value, openRegistration, messagesPerSecond,
                maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout, hashThreads, maxDevices,
                maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withOpenRegistration(boolean value) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, value, messagesPerSecond,
                maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout, hashThreads, maxDevices,
                maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withMessagesPerSecond(int value) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration, value,
                maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout, hashThreads, maxDevices,
                maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withLimits(int messageLength, int groupSize, int bodyLength) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, messageLength, groupSize, bodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withTimeouts(Duration readerIdle, Duration auth) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdle, auth, hashThreads,
                maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withConnectionsPerIp(int maxOpen, int perSecond) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxOpen, perSecond, framesPerSecond, tls);
    }

    public ImServerSettings withFramesPerSecond(int value) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, value, tls);
    }

    public ImServerSettings withMaxDevices(int value) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, value, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    public ImServerSettings withHashThreads(int value) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                value, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond, tls);
    }

    /** The same settings serving TLS with {@code value}. */
    public ImServerSettings withTls(ServerTls value) {
        return new ImServerSettings(host, port, store, dataDir, passwordIterations, openRegistration,
                messagesPerSecond, maxMessageLength, maxGroupSize, maxBodyLength, readerIdleTimeout, authTimeout,
                hashThreads, maxDevices, maxConnectionsPerIp, connectionRatePerIp, framesPerSecond,
                Optional.of(value));
    }
}
