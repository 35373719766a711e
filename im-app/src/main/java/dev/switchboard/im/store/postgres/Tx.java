package dev.switchboard.im.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One transaction of the writer: a pooled connection outside auto-commit, with the statements prepared in it cached
 * by SQL text until it ends (the driver also keeps server-side prepared statements per connection). Writer thread
 * only.
 */
final class Tx implements AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Tx(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
    }

    /** The statement for {@code sql}; parameters are left from its last use in this transaction, so set all. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** A {@code text[]} parameter. */
    Array textArray(Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    /** A {@code bigint[]} parameter. */
    Array bigintArray(Long[] values) throws SQLException {
        return connection.createArrayOf("bigint", values);
    }

    void commit() throws SQLException {
        connection.commit();
    }

    /** Rolls back, best effort: a connection that broke is dropped by the pool when it is closed. */
    void rollbackQuietly(Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Closes the statements and hands the connection back to the pool (or drops it, if it broke). */
    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        statements.clear();
        try {
            connection.close();
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
