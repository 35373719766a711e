package dev.switchboard.im.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The number of each conversation key ({@code d:low:high}, {@code g:group}) in the {@code conversations} table: the
 * messages table and its per-conversation index hold the number, which keeps every index entry a few bytes instead
 * of a 23-character key (a plain send pays for that index on every message). Numbers are assigned on first use,
 * in the transaction of the message that needs one, and cached; writer thread only.
 */
final class ConversationNumbers {

    /** Keys cached; past this the cache is cleared and refilled lazily from the table. */
    static final int CACHE_SIZE = 100_000;

    /** The number of a key that has none yet; every real number is positive. */
    static final long NONE = 0;

    private static final String SELECT = "SELECT conversation_id FROM conversations WHERE conversation_key = ?";
    private static final String INSERT =
            "INSERT INTO conversations (conversation_key) VALUES (?) RETURNING conversation_id";

    private final Map<String, Long> numbers = new HashMap<>();

    /** The key's number, assigning one (a row in this transaction) if it has none. */
    long numberOf(SqliteConnection db, String key) throws SQLException {
        long number = find(db, key);
        if (number != NONE) {
            return number;
        }
        PreparedStatement insert = db.prepare(INSERT);
        insert.setString(1, key);
        try (ResultSet row = insert.executeQuery()) {
            if (!row.next()) {
                throw new SQLException("no number returned for the new conversation " + key);
            }
            number = row.getLong(1);
        }
        db.wrote(1);
        remember(key, number);
        return number;
    }

    /** The key's number, or {@link #NONE} if no message was ever stored in it. Does not write. */
    long find(SqliteConnection db, String key) throws SQLException {
        Long cached = numbers.get(key);
        if (cached != null) {
            return cached;
        }
        PreparedStatement select = db.prepare(SELECT);
        select.setString(1, key);
        try (ResultSet row = select.executeQuery()) {
            if (!row.next()) {
                return NONE; // not cached: the conversation may get a number later
            }
            long number = row.getLong(1);
            remember(key, number);
            return number;
        }
    }

    /** Forgets every number; after a rollback, which may have undone numbers assigned in it. */
    void reset() {
        numbers.clear();
    }

    private void remember(String key, long number) {
        if (numbers.size() >= CACHE_SIZE) {
            numbers.clear(); // safe: every number can be read again from the table
        }
        numbers.put(key, number);
    }
}
