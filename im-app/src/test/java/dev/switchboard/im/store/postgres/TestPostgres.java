package dev.switchboard.im.store.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests (the binaries come in a Maven artifact), started once per test class; each
 * test gets a schema of its own ({@link #freshSchema()}), which costs milliseconds rather than a database's copy.
 * Can stop and start again on the same port and data directory, for failure tests.
 */
public final class TestPostgres implements AutoCloseable {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private TestPostgres(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.server = builder().start();
        this.port = server.getPort();
    }

    /** Starts a server in a temporary directory, removed by {@link #close()}. */
    public static TestPostgres start() throws IOException {
        return new TestPostgres(Files.createTempDirectory("switchboard-pg"));
    }

    private EmbeddedPostgres.Builder builder() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // Tests need no durability: no fsync, and a deadlock (should one happen) is found fast.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("deadlock_timeout", "100ms");
        return server == null ? builder : builder.setPort(port);
    }

    /** A new, empty schema; the URL sets it as the connection's search path. */
    public String freshSchema() throws SQLException {
        String schema = "t" + SCHEMAS.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return url(schema);
    }

    /** The URL of an existing schema. */
    public String url(String schema) {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&currentSchema=" + schema;
    }

    /** Settings for a store in a fresh schema, with short timeouts so that failure tests stay fast. */
    public PostgresSettings freshSettings() throws SQLException {
        return PostgresSettings.of(freshSchema()).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /** Stops the server (fast shutdown: sessions are ended), keeping its data. */
    public void stopServer() throws IOException {
        server.close();
    }

    /** Starts the server again on the same port and data. */
    public void restartServer() throws IOException {
        server = builder().start();
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
