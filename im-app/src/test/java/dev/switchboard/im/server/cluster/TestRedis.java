package dev.switchboard.im.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import redis.embedded.RedisServer;

/**
 * A real redis-server on loopback (the binary shipped in the embedded-redis artifact), on a free port that stays
 * the same across {@link #restart()}, with nothing persisted.
 */
public final class TestRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    private TestRedis(int port) {
        this.port = port;
    }

    public static TestRedis start() {
        TestRedis redis = new TestRedis(freePort());
        redis.launch();
        return redis;
    }

    public URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** A test's own connection to the server, for setting up and inspecting keys. */
    public record Connection(RedisClient client, StatefulRedisConnection<String, String> redis)
            implements AutoCloseable {
        @Override
        public void close() {
            redis.close();
            client.shutdown();
        }
    }

    /** Opens a connection of the test's own (close it). */
    public Connection connect() {
        RedisClient client = RedisClient.create(uri().toString());
        return new Connection(client, client.connect());
    }

    /** Stops the server; everything it held is gone, as after a crash without persistence. */
    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it again on the same port, empty. */
    public void restart() {
        launch();
    }

    @Override
    public void close() {
        if (server != null && server.isActive()) {
            stop();
        }
    }

    private void launch() {
        try {
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
