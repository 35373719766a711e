package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.IdGenerator;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.Membership;
import static java.util.Objects.requireNonNull;

import dev.switchboard.im.store.Membership.Outcome;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link GroupStore} of {@link SqliteStorage}. Keeps recently used groups in a cache on the writer thread, since the
 * chat layer looks a group up for every message sent to it.
 */
final class SqliteGroupStore implements GroupStore {

    /** Groups kept in the cache, least recently used evicted first. */
    static final int CACHE_SIZE = 10_000;

    private static final String ID_TAKEN = "SELECT 1 FROM chat_groups WHERE group_id = ?";
    private static final String INSERT_GROUP = "INSERT INTO chat_groups (group_id, created_at) VALUES (?, ?)";
    private static final String INSERT_MEMBER =
            "INSERT INTO group_members (group_id, user_id, joined_after) VALUES (?, ?, ?)";
    private static final String MEMBERSHIPS =
            "SELECT group_id, joined_after FROM group_members WHERE user_id = ? ORDER BY member_no";
    private static final String MEMBER_SINCE =
            "SELECT joined_after FROM group_members WHERE group_id = ? AND user_id = ?";
    // A live group always has a member, and a deleted one has none: the member rows alone answer "does it exist".
    private static final String MEMBERS = "SELECT user_id FROM group_members WHERE group_id = ? ORDER BY member_no";
    private static final String DELETE_MEMBER = "DELETE FROM group_members WHERE group_id = ? AND user_id = ?";
    private static final String MARK_DELETED = "UPDATE chat_groups SET deleted_at = ? WHERE group_id = ?";
    private static final String GROUPS_OF = "SELECT group_id FROM group_members WHERE user_id = ? ORDER BY member_no";

    private final StoreWriter writer;
    private final LongSupplier clock;
    private final IdGenerator ids = new IdGenerator(); // writer thread only
    private final Map<String, Group> cache = new LinkedHashMap<>(256, 0.75f, true) { // writer thread only
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Group> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private final LastMessageId lastMessageId;

    /** @param lastMessageId the message store's last issued id, for join points (writer thread) */
    SqliteGroupStore(StoreWriter writer, LongSupplier clock, LastMessageId lastMessageId) {
        this.writer = writer;
        this.clock = clock;
        this.lastMessageId = lastMessageId;
    }

    /** The last message id issued, read on the writer thread. */
    @FunctionalInterface
    interface LastMessageId {
        long on(SqliteConnection db) throws SQLException;
    }

    @Override
    public CompletionStage<Group> create(String creatorId, List<String> memberIds) {
        requireNonNull(creatorId, "creatorId");
        LinkedHashSet<String> members = new LinkedHashSet<>();
        members.add(creatorId);
        for (String memberId : memberIds) {
            members.add(requireNonNull(memberId, "member id"));
        }
        return writer.submit(db -> {
            String groupId;
            do {
                groupId = ids.next();
            } while (SqliteUserStore.exists(db, ID_TAKEN, groupId)); // deleted groups stay as tombstones
            PreparedStatement group = db.prepare(INSERT_GROUP);
            group.setString(1, groupId);
            group.setLong(2, clock.getAsLong());
            group.executeUpdate();
            PreparedStatement member = db.prepare(INSERT_MEMBER);
            long since = lastMessageId.on(db);
            try {
                for (String memberId : members) {
                    member.setString(1, groupId);
                    member.setString(2, memberId);
                    member.setLong(3, since);
                    member.addBatch();
                }
                member.executeBatch();
            } catch (SQLException | RuntimeException e) {
                member.clearBatch(); // the statement is cached: leave no rows behind for its next use
                throw e;
            }
            db.wrote(1 + members.size());
            Group created = new Group(groupId, List.copyOf(members));
            cache.put(groupId, created);
            return created;
        });
    }

    @Override
    public CompletionStage<Optional<Group>> find(String groupId) {
        requireNonNull(groupId, "groupId");
        return writer.submit(db -> Optional.ofNullable(load(db, groupId)));
    }

    @Override
    public CompletionStage<Membership> join(String groupId, String userId, int maxMembers) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            Group group = load(db, groupId);
            if (group == null) {
                return new Membership(Outcome.NO_SUCH_GROUP, null);
            }
            if (group.hasMember(userId)) {
                return new Membership(Outcome.ALREADY_MEMBER, group);
            }
            if (group.memberIds().size() >= maxMembers) {
                return new Membership(Outcome.FULL, group); // checked on the one writer thread: no race
            }
            PreparedStatement insert = db.prepare(INSERT_MEMBER);
            insert.setString(1, groupId);
            insert.setString(2, userId);
            insert.setLong(3, lastMessageId.on(db));
            insert.executeUpdate();
            db.wrote(1);
            List<String> members = new ArrayList<>(group.memberIds().size() + 1);
            members.addAll(group.memberIds());
            members.add(userId);
            Group joined = new Group(groupId, members);
            cache.put(groupId, joined);
            return new Membership(Outcome.JOINED, joined);
        });
    }

    @Override
    public CompletionStage<Membership> quit(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            Group group = load(db, groupId);
            if (group == null) {
                return new Membership(Outcome.NO_SUCH_GROUP, null);
            }
            if (!group.hasMember(userId)) {
                return new Membership(Outcome.NOT_A_MEMBER, group);
            }
            PreparedStatement delete = db.prepare(DELETE_MEMBER);
            delete.setString(1, groupId);
            delete.setString(2, userId);
            delete.executeUpdate();
            db.wrote(1);
            List<String> members = new ArrayList<>(group.memberIds());
            members.remove(userId);
            if (members.isEmpty()) {
                PreparedStatement markDeleted = db.prepare(MARK_DELETED);
                markDeleted.setLong(1, clock.getAsLong());
                markDeleted.setString(2, groupId);
                markDeleted.executeUpdate();
                db.wrote(1);
                cache.remove(groupId);
                return new Membership(Outcome.LEFT_AND_DELETED, null);
            }
            Group left = new Group(groupId, members);
            cache.put(groupId, left);
            return new Membership(Outcome.LEFT, left);
        });
    }

    @Override
    public CompletionStage<List<String>> groupsOf(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(GROUPS_OF);
            select.setString(1, userId);
            List<String> groupIds = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    groupIds.add(rows.getString(1));
                }
            }
            return List.copyOf(groupIds);
        });
    }

    @Override
    public CompletionStage<List<MemberSince>> membershipsOf(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(MEMBERSHIPS);
            select.setString(1, userId);
            List<MemberSince> memberships = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    memberships.add(new MemberSince(rows.getString(1), rows.getLong(2)));
                }
            }
            return List.copyOf(memberships);
        });
    }

    @Override
    public CompletionStage<Optional<MemberSince>> memberSince(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return writer.submit(db -> {
            PreparedStatement select = db.prepare(MEMBER_SINCE);
            select.setString(1, groupId);
            select.setString(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new MemberSince(groupId, row.getLong(1))) : Optional.empty();
            }
        });
    }

    /** Forgets cached groups; called after a rollback, which may have undone changes the cache already holds. */
    void resetCache() {
        cache.clear();
    }

    private Group load(SqliteConnection db, String groupId) throws SQLException {
        Group cached = cache.get(groupId);
        if (cached != null) {
            return cached;
        }
        PreparedStatement select = db.prepare(MEMBERS);
        select.setString(1, groupId);
        List<String> members = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                members.add(rows.getString(1));
            }
        }
        if (members.isEmpty()) {
            return null;
        }
        Group group = new Group(groupId, members);
        cache.put(groupId, group);
        return group;
    }
}
