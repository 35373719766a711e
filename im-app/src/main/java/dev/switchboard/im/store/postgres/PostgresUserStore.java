package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.IdGenerator;
import dev.switchboard.im.store.PasswordHash;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserExistsException;
import dev.switchboard.im.store.UserStore;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link UserStore} of {@link PostgresStorage}. Methods check and copy their arguments on the caller's thread, then
 * queue the work on the {@link PostgresWriter}. Nothing is cached: another node may change an account (a password
 * upgrade) or spend a token at any time, so every answer comes from the database. Races between nodes are settled
 * by the database: a name by its unique constraint, a token by its single {@code DELETE ... RETURNING}.
 */
final class PostgresUserStore implements UserStore {

    private static final String SELECT_USER = "SELECT user_id, user_name, salt, hash, iterations FROM users WHERE ";
    private static final String USERS_BY_NAME = SELECT_USER + "user_name = ANY (?)";
    private static final String USERS_BY_ID = SELECT_USER + "user_id = ANY (?)";
    private static final String NAME_TAKEN = "SELECT 1 FROM users WHERE user_name = ?";
    /** Nothing inserted: the name or (rarely) the random id is taken; the name's check decides which. */
    private static final String INSERT_USER = """
            INSERT INTO users (user_id, user_name, salt, hash, iterations, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String UPDATE_PASSWORD = """
            UPDATE users SET salt = ?, hash = ?, iterations = ? WHERE user_id = ? RETURNING user_name""";
    private static final String UPSERT_TOKEN = """
            INSERT INTO tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, expires_at = excluded.expires_at""";
    private static final String DELETE_EXTRA_TOKENS = """
            DELETE FROM tokens WHERE user_id = ? AND token_hash NOT IN
                (SELECT token_hash FROM tokens WHERE user_id = ? ORDER BY expires_at DESC LIMIT ?)""";
    private static final String USER_FOR_TOKEN = "SELECT user_id FROM tokens WHERE token_hash = ? AND expires_at > ?";
    private static final String CONSUME_TOKEN = "DELETE FROM tokens WHERE token_hash = ? RETURNING user_id, expires_at";
    private static final String DELETE_TOKEN = "DELETE FROM tokens WHERE token_hash = ?";
    private static final String DELETE_TOKENS_OF = "DELETE FROM tokens WHERE user_id = ?";
    private static final String PRESENCE_HIDDEN = "SELECT 1 FROM presence_hidden WHERE user_id = ?";
    private static final String HIDE_PRESENCE =
            "INSERT INTO presence_hidden (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING";
    private static final String SHOW_PRESENCE = "DELETE FROM presence_hidden WHERE user_id = ?";

    private final PostgresWriter writer;
    private final LongSupplier clock;
    private final IdGenerator ids = new IdGenerator(); // writer thread only

    PostgresUserStore(PostgresWriter writer, LongSupplier clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /**
     * Queued lookups join the one queued last ({@link PostgresWriter#submitJoining}): every direct message looks its
     * recipient up, and a round trip each was one of the few a message costs.
     */
    @Override
    public CompletionStage<Optional<UserAccount>> findByName(String userName) {
        requireNonNull(userName, "userName");
        return writer.submitJoining(ByName.class, ByName::new, lookups -> lookups.join(userName));
    }

    @Override
    public CompletionStage<Optional<UserAccount>> findById(String userId) {
        requireNonNull(userId, "userId");
        return writer.submitJoining(ById.class, ById::new, lookups -> lookups.join(userId));
    }

    @Override
    public CompletionStage<Map<String, UserAccount>> findByIds(Collection<String> userIds) {
        List<String> keys = List.copyOf(userIds);
        return writer.submit(tx -> selectUsers(tx, USERS_BY_ID, keys, true));
    }

    @Override
    public CompletionStage<Map<String, UserAccount>> findByNames(Collection<String> userNames) {
        List<String> keys = List.copyOf(userNames);
        return writer.submit(tx -> selectUsers(tx, USERS_BY_NAME, keys, false));
    }

    @Override
    public CompletionStage<UserAccount> register(String userName, PasswordHash password) {
        requireNonNull(userName, "userName");
        requireNonNull(password, "password");
        return writer.submit(tx -> {
            // ON CONFLICT DO NOTHING rather than catching the unique violation: a failed statement would abort
            // the whole group-commit transaction. If another node is inserting the same name, this waits for it.
            while (true) {
                String userId = ids.next();
                PreparedStatement insert = tx.prepare(INSERT_USER);
                insert.setString(1, userId);
                insert.setString(2, userName);
                insert.setBytes(3, password.salt());
                insert.setBytes(4, password.hash());
                insert.setInt(5, password.iterations());
                insert.setLong(6, clock.getAsLong());
                if (insert.executeUpdate() == 1) {
                    return new UserAccount(userId, userName, password);
                }
                if (exists(tx, NAME_TAKEN, userName)) {
                    throw new UserExistsException(userName); // nothing was written
                }
                // the random id was taken (users are never deleted, so the table holds every id issued): another
            }
        });
    }

    @Override
    public CompletionStage<Optional<UserAccount>> updatePassword(String userId, PasswordHash password) {
        requireNonNull(userId, "userId");
        requireNonNull(password, "password");
        return writer.submit(tx -> {
            PreparedStatement update = tx.prepare(UPDATE_PASSWORD);
            update.setBytes(1, password.salt());
            update.setBytes(2, password.hash());
            update.setInt(3, password.iterations());
            update.setString(4, userId);
            try (ResultSet row = update.executeQuery()) {
                return row.next() ? Optional.of(new UserAccount(userId, row.getString(1), password))
                        : Optional.<UserAccount>empty();
            }
        });
    }

    @Override
    public CompletionStage<Void> saveToken(String userId, byte[] tokenHash, long expiresAtMillis) {
        requireNonNull(userId, "userId");
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(tx -> {
            PreparedStatement upsert = tx.prepare(UPSERT_TOKEN);
            upsert.setBytes(1, hash);
            upsert.setString(2, userId);
            upsert.setLong(3, expiresAtMillis);
            upsert.executeUpdate();
            PreparedStatement trim = tx.prepare(DELETE_EXTRA_TOKENS);
            trim.setString(1, userId);
            trim.setString(2, userId);
            trim.setInt(3, MAX_TOKENS_PER_USER);
            trim.executeUpdate(); // bounds the expired ones too: at most MAX_TOKENS_PER_USER per user
            return null;
        });
    }

    @Override
    public CompletionStage<Optional<String>> userIdForToken(byte[] tokenHash, long nowMillis) {
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(tx -> {
            PreparedStatement select = tx.prepare(USER_FOR_TOKEN);
            select.setBytes(1, hash);
            select.setLong(2, nowMillis);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
            }
        });
    }

    @Override
    public CompletionStage<Optional<String>> consumeToken(byte[] tokenHash, long nowMillis) {
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(tx -> {
            PreparedStatement delete = tx.prepare(CONSUME_TOKEN);
            delete.setBytes(1, hash);
            try (ResultSet row = delete.executeQuery()) {
                if (!row.next()) {
                    return Optional.<String>empty();
                }
                return nowMillis < row.getLong(2) ? Optional.of(row.getString(1)) : Optional.<String>empty();
            }
        });
    }

    @Override
    public CompletionStage<Integer> revokeTokens(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> {
            PreparedStatement delete = tx.prepare(DELETE_TOKENS_OF);
            delete.setString(1, userId);
            return delete.executeUpdate();
        });
    }

    @Override
    public CompletionStage<Void> revokeToken(byte[] tokenHash) {
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(tx -> {
            PreparedStatement delete = tx.prepare(DELETE_TOKEN);
            delete.setBytes(1, hash);
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public CompletionStage<Boolean> presenceHidden(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> exists(tx, PRESENCE_HIDDEN, userId));
    }

    @Override
    public CompletionStage<Void> setPresenceHidden(String userId, boolean hidden) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> {
            PreparedStatement change = tx.prepare(hidden ? HIDE_PRESENCE : SHOW_PRESENCE);
            change.setString(1, userId);
            change.executeUpdate();
            return null;
        });
    }

    private static Map<String, UserAccount> selectUsers(Tx tx, String sql, List<String> keys, boolean byId)
            throws SQLException {
        Map<String, UserAccount> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        PreparedStatement select = tx.prepare(sql);
        select.setArray(1, tx.textArray(keys));
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                UserAccount account = account(rows);
                found.put(byId ? account.userId() : account.userName(), account);
            }
        }
        return found;
    }

    /** Single-account lookups by one kind of key, queued together: one statement for all of them. */
    private abstract static class Lookups implements PostgresWriter.JoinableOp {
        /** Keys per statement; a lookup past this queues the next batch. */
        static final int MAX_KEYS = 1_000;

        private final String sql;
        private final boolean byId;
        /** Filled under the writer's queue lock until the batch starts; read by the writer only after that. */
        private final Map<String, CompletableFuture<Optional<UserAccount>>> waiting = new HashMap<>();
        private Map<String, UserAccount> found = Map.of(); // writer thread

        Lookups(String sql, boolean byId) {
            this.sql = sql;
            this.byId = byId;
        }

        final CompletionStage<Optional<UserAccount>> join(String key) {
            // minimal: the lookups of one key share a future, which no caller may complete for the others
            return waiting.computeIfAbsent(key, k -> new CompletableFuture<>()).minimalCompletionStage();
        }

        @Override
        public final boolean hasRoom() {
            return waiting.size() < MAX_KEYS;
        }

        @Override
        public final Void run(Tx tx) throws SQLException {
            found = selectUsers(tx, sql, List.copyOf(waiting.keySet()), byId); // run again on a retry: same keys
            return null;
        }

        @Override
        public final void finished(Throwable failure) {
            waiting.forEach((key, lookup) -> {
                if (failure == null) {
                    lookup.complete(Optional.ofNullable(found.get(key)));
                } else {
                    lookup.completeExceptionally(failure);
                }
            });
        }
    }

    private static final class ById extends Lookups {
        ById() {
            super(USERS_BY_ID, true);
        }
    }

    private static final class ByName extends Lookups {
        ByName() {
            super(USERS_BY_NAME, false);
        }
    }

    private static UserAccount account(ResultSet row) throws SQLException {
        return new UserAccount(row.getString(1), row.getString(2),
                new PasswordHash(row.getBytes(3), row.getBytes(4), row.getInt(5)));
    }

    static boolean exists(Tx tx, String sql, String key) throws SQLException {
        PreparedStatement select = tx.prepare(sql);
        select.setString(1, key);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }
}
