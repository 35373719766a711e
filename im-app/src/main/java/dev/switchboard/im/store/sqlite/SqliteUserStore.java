package dev.switchboard.im.store.sqlite;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * {@link UserStore} of {@link SqliteStorage}. Methods check their arguments and copy mutable ones on the caller's
 * thread, then queue the work on the {@link StoreWriter} or, for the bulk lookups ({@link #findByIds},
 * {@link #findByNames}: group member lists, presence lookups of users, names in conversation lists), on the
 * {@link StoreReaders}. {@link #presenceHidden} stays on the writer: the contract reads presence choices in
 * submission order (a login's read of the flag must see a change submitted before it, finished or not).
 *
 * <p>The account cache is filled on the writer thread only ({@link #findById}, {@link #findByName} on a miss): a
 * password change forgets the account there, and a lookup queued behind the change reloads it committed. A reader
 * could read the old row just before that commit and cache it after the change forgot it, so the readers' lookups
 * never cache; they see every change submitted before them.
 */
final class SqliteUserStore implements UserStore {

    private static final String SELECT_USER = "SELECT user_id, user_name, salt, hash, iterations FROM users WHERE ";
    private static final String USER_BY_NAME = SELECT_USER + "user_name = ?";
    private static final String USER_BY_ID = SELECT_USER + "user_id = ?";
    private static final String ID_TAKEN = "SELECT 1 FROM users WHERE user_id = ?";
    private static final String INSERT_USER =
            "INSERT INTO users (user_id, user_name, salt, hash, iterations, created_at) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String UPSERT_TOKEN = """
            INSERT INTO tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, expires_at = excluded.expires_at""";
    private static final String USER_FOR_TOKEN = "SELECT user_id FROM tokens WHERE token_hash = ? AND expires_at > ?";
    private static final String UPDATE_PASSWORD = "UPDATE users SET salt = ?, hash = ?, iterations = ? WHERE user_id = ?";
    private static final String DELETE_TOKEN = "DELETE FROM tokens WHERE token_hash = ?";
    private static final String DELETE_TOKENS_OF = "DELETE FROM tokens WHERE user_id = ?";
    private static final String DELETE_EXTRA_TOKENS = """
            DELETE FROM tokens WHERE user_id = ?1 AND token_hash NOT IN
                (SELECT token_hash FROM tokens WHERE user_id = ?1 ORDER BY expires_at DESC LIMIT ?2)""";
    private static final String CONSUME_TOKEN = "DELETE FROM tokens WHERE token_hash = ? RETURNING user_id, expires_at";
    private static final String DELETE_EXPIRED_TOKENS = "DELETE FROM tokens WHERE expires_at <= ?";
    private static final String PRESENCE_HIDDEN = "SELECT 1 FROM presence_hidden WHERE user_id = ?";
    private static final String HIDE_PRESENCE = "INSERT OR IGNORE INTO presence_hidden (user_id) VALUES (?)";
    private static final String SHOW_PRESENCE = "DELETE FROM presence_hidden WHERE user_id = ?";

    /** Cached accounts beyond this many are forgotten all at once (they are reloaded on demand). */
    static final int CACHE_SIZE = 100_000;

    private final StoreWriter writer;
    private final StoreReaders readers;
    private final LongSupplier clock;
    private final IdGenerator ids = new IdGenerator(); // writer thread only
    // Accounts never change once registered, so a found account can be served without a trip through the writer
    // queue: every message send looks up its recipient, and that read was half of the writer's work.
    private final ConcurrentHashMap<String, UserAccount> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, UserAccount> byName = new ConcurrentHashMap<>();

    SqliteUserStore(StoreWriter writer, StoreReaders readers, LongSupplier clock) {
        this.writer = writer;
        this.readers = readers;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<UserAccount>> findByName(String userName) {
        requireNonNull(userName, "userName");
        UserAccount cached = byName.get(userName);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return writer.submit(db -> Optional.ofNullable(selectUser(db, USER_BY_NAME, userName)));
    }

    @Override
    public CompletionStage<Optional<UserAccount>> findById(String userId) {
        requireNonNull(userId, "userId");
        UserAccount cached = byId.get(userId);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return writer.submit(db -> Optional.ofNullable(selectUser(db, USER_BY_ID, userId)));
    }

    @Override
    public CompletionStage<Map<String, UserAccount>> findByIds(Collection<String> userIds) {
        List<String> keys = List.copyOf(userIds); // the caller may change its collection after we return
        return readers.submit(db -> selectUsers(db, USER_BY_ID, keys));
    }

    @Override
    public CompletionStage<Map<String, UserAccount>> findByNames(Collection<String> userNames) {
        List<String> keys = List.copyOf(userNames);
        return readers.submit(db -> selectUsers(db, USER_BY_NAME, keys));
    }

    @Override
    public CompletionStage<UserAccount> register(String userName, PasswordHash password) {
        requireNonNull(userName, "userName");
        requireNonNull(password, "password");
        return writer.submit(db -> {
            // Checked here rather than by catching the UNIQUE violation: a failed statement would fail the batch.
            // Safe against races because only this thread writes.
            if (selectUser(db, USER_BY_NAME, userName) != null) {
                throw new UserExistsException(userName);
            }
            String userId;
            do {
                userId = ids.next();
            } while (exists(db, ID_TAKEN, userId)); // users are never deleted: the table holds every id issued
            PreparedStatement insert = db.prepare(INSERT_USER);
            insert.setString(1, userId);
            insert.setString(2, userName);
            insert.setBytes(3, password.salt());
            insert.setBytes(4, password.hash());
            insert.setInt(5, password.iterations());
            insert.setLong(6, clock.getAsLong());
            insert.executeUpdate();
            db.wrote(1);
            // Cached only once committed: the writer completes this stage after the commit, so no one sees it sooner.
            return new UserAccount(userId, userName, password);
        });
    }

    @Override
    public CompletionStage<Optional<UserAccount>> updatePassword(String userId, PasswordHash password) {
        requireNonNull(userId, "userId");
        requireNonNull(password, "password");
        return writer.submit(db -> {
            UserAccount old = selectUser(db, USER_BY_ID, userId);
            if (old == null) {
                return Optional.<UserAccount>empty();
            }
            PreparedStatement update = db.prepare(UPDATE_PASSWORD);
            update.setBytes(1, password.salt());
            update.setBytes(2, password.hash());
            update.setInt(3, password.iterations());
            update.setString(4, userId);
            db.wrote(update.executeUpdate());
            // Forgotten rather than replaced: the next lookup queues behind this write and reads it committed.
            byId.remove(userId);
            byName.remove(old.userName());
            return Optional.of(new UserAccount(userId, old.userName(), password));
        });
    }

    @Override
    public CompletionStage<Void> saveToken(String userId, byte[] tokenHash, long expiresAtMillis) {
        requireNonNull(userId, "userId");
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(db -> {
            PreparedStatement upsert = db.prepare(UPSERT_TOKEN);
            upsert.setBytes(1, hash);
            upsert.setString(2, userId);
            upsert.setLong(3, expiresAtMillis);
            upsert.executeUpdate();
            PreparedStatement trim = db.prepare(DELETE_EXTRA_TOKENS);
            trim.setString(1, userId);
            trim.setInt(2, MAX_TOKENS_PER_USER);
            db.wrote(1 + trim.executeUpdate());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> revokeToken(byte[] tokenHash) {
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(db -> {
            PreparedStatement delete = db.prepare(DELETE_TOKEN);
            delete.setBytes(1, hash);
            db.wrote(delete.executeUpdate());
            return null;
        });
    }

    @Override
    public CompletionStage<Optional<String>> userIdForToken(byte[] tokenHash, long nowMillis) {
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(USER_FOR_TOKEN);
            select.setBytes(1, hash);
            select.setLong(2, nowMillis);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        });
    }

    @Override
    public CompletionStage<Integer> revokeTokens(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            PreparedStatement delete = db.prepare(DELETE_TOKENS_OF);
            delete.setString(1, userId);
            int deleted = delete.executeUpdate();
            db.wrote(deleted);
            return deleted;
        });
    }

    @Override
    public CompletionStage<Optional<String>> consumeToken(byte[] tokenHash, long nowMillis) {
        byte[] hash = requireNonNull(tokenHash, "tokenHash").clone();
        return writer.submit(db -> {
            PreparedStatement delete = db.prepare(CONSUME_TOKEN);
            delete.setBytes(1, hash);
            try (ResultSet row = delete.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                db.wrote(1);
                return nowMillis < row.getLong(2) ? Optional.of(row.getString(1)) : Optional.<String>empty();
            }
        });
    }

    @Override
    public CompletionStage<Boolean> presenceHidden(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> exists(db, PRESENCE_HIDDEN, userId));
    }

    @Override
    public CompletionStage<Void> setPresenceHidden(String userId, boolean hidden) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            PreparedStatement change = db.prepare(hidden ? HIDE_PRESENCE : SHOW_PRESENCE);
            change.setString(1, userId);
            db.wrote(change.executeUpdate());
            return null;
        });
    }

    /** Deletes expired tokens; runs on the writer thread as part of pruning. */
    int deleteExpiredTokens(SqliteConnection db, long nowMillis) throws SQLException {
        PreparedStatement delete = db.prepare(DELETE_EXPIRED_TOKENS);
        delete.setLong(1, nowMillis);
        int deleted = delete.executeUpdate();
        db.wrote(deleted);
        return deleted;
    }

    /** Forgets cached accounts after a rollback, which may have undone a registration they include. */
    void resetCache() {
        byId.clear();
        byName.clear();
    }

    private void remember(UserAccount account) {
        if (byId.size() >= CACHE_SIZE) {
            byId.clear();
            byName.clear();
        }
        byId.put(account.userId(), account);
        byName.put(account.userName(), account);
    }

    /** The accounts found, not cached (a reader's lookup: see the class Javadoc). */
    private static Map<String, UserAccount> selectUsers(SqliteConnection db, String sql, List<String> keys)
            throws SQLException {
        Map<String, UserAccount> found = new HashMap<>();
        for (String key : keys) {
            if (!found.containsKey(key)) {
                UserAccount account = read(db, sql, key);
                if (account != null) {
                    found.put(key, account);
                }
            }
        }
        return found;
    }

    /** The account, cached; writer thread only. */
    private UserAccount selectUser(SqliteConnection db, String sql, String key) throws SQLException {
        UserAccount account = read(db, sql, key);
        if (account != null) {
            remember(account);
        }
        return account;
    }

    private static UserAccount read(SqliteConnection db, String sql, String key) throws SQLException {
        PreparedStatement select = db.prepare(sql);
        select.setString(1, key);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return null;
            }
            return new UserAccount(row.getString(1), row.getString(2),
                    new PasswordHash(row.getBytes(3), row.getBytes(4), row.getInt(5)));
        }
    }

    static boolean exists(SqliteConnection db, String sql, String key) throws SQLException {
        PreparedStatement select = db.prepare(sql);
        select.setString(1, key);
        try (ResultSet row = select.executeQuery()) {
            return row.next();
        }
    }
}
