package dev.switchboard.im.store.sqlite;

import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupChange;
import dev.switchboard.im.store.GroupCommand;
import dev.switchboard.im.store.GroupRole;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link GroupStore} of {@link SqliteStorage}. Keeps recently used groups in a cache on the writer thread, since the
 * chat layer looks a group up for every message sent to it.
 *
 * <p>Where each operation runs: the changes on the {@link StoreWriter}, and {@link #find} too: its cache answers the
 * lookup of every group message without SQL, and it is the writer's alone (it holds what the open transaction
 * changed, which may yet roll back), so a read elsewhere could not use it. A sender's messages to a group each wait
 * for the lookup before they are stored, in order, so it must not wait for commits: a group known as committed and
 * not being changed is answered on the caller's thread ({@link CommittedGroups}), and a find on the writer of a
 * group the open transaction did not change completes as soon as it ran ({@link StoreWriter#submitRead}). The
 * membership reads that serve client requests without it ({@link #groupsWith}, {@link #groupsOf},
 * {@link #membershipsOf}, {@link #memberSince}) run on the {@link StoreReaders}, straight from the committed tables,
 * after every change submitted before them is committed.
 */
final class SqliteGroupStore implements GroupStore {

    /** Groups kept in the cache, least recently used evicted first. */
    static final int CACHE_SIZE = 10_000;

    private static final String ID_TAKEN = "SELECT 1 FROM chat_groups WHERE group_id = ?";
    private static final String INSERT_GROUP = "INSERT INTO chat_groups (group_id, created_at, name) VALUES (?, ?, ?)";
    private static final String INSERT_MEMBER =
            "INSERT INTO group_members (group_id, user_id, joined_after, role) VALUES (?, ?, ?, ?)";
    private static final String MEMBERSHIPS =
            "SELECT group_id, joined_after FROM group_members WHERE user_id = ? ORDER BY member_no";
    private static final String MEMBER_SINCE =
            "SELECT joined_after FROM group_members WHERE group_id = ? AND user_id = ?";
    // A live group always has a member, and a deleted one has none: the member rows alone answer "does it exist".
    private static final String MEMBERS =
            "SELECT user_id, role, muted FROM group_members WHERE group_id = ? ORDER BY member_no";
    private static final String GROUP_ROW = "SELECT name, muted FROM chat_groups WHERE group_id = ?";
    private static final String DELETE_MEMBER = "DELETE FROM group_members WHERE group_id = ? AND user_id = ?";
    private static final String UPDATE_MEMBER =
            "UPDATE group_members SET role = ?, muted = ? WHERE group_id = ? AND user_id = ?";
    private static final String UPDATE_GROUP = "UPDATE chat_groups SET name = ?, muted = ? WHERE group_id = ?";
    private static final String MARK_DELETED = "UPDATE chat_groups SET deleted_at = ? WHERE group_id = ?";
    private static final String GROUPS_OF = "SELECT group_id FROM group_members WHERE user_id = ? ORDER BY member_no";

    private final StoreWriter writer;
    private final StoreReaders readers;
    private final LongSupplier clock;
    private final IdGenerator ids = new IdGenerator(); // writer thread only
    private final Map<String, Group> cache = new LinkedHashMap<>(256, 0.75f, true) { // writer thread only
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Group> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * Groups the open transaction changed: a lookup of any other group found committed state and is answered
     * before the commit ({@link StoreWriter#submitRead}). Writer thread only; emptied before each commit and on
     * rollback.
     */
    private final Set<String> changedInTransaction = new HashSet<>();
    private final CommittedGroups committed = new CommittedGroups(CACHE_SIZE);

    private final LastMessageId lastMessageId;

    /** @param lastMessageId the message store's last issued id, for join points (writer thread) */
    SqliteGroupStore(StoreWriter writer, StoreReaders readers, LongSupplier clock, LastMessageId lastMessageId) {
        this.writer = writer;
        this.readers = readers;
        this.clock = clock;
        this.lastMessageId = lastMessageId;
    }

    /** The last message id issued, read on the writer thread. */
    @FunctionalInterface
    interface LastMessageId {
        long on(SqliteConnection db) throws SQLException;
    }

    @Override
    public CompletionStage<Group> create(String creatorId, String name, List<String> memberIds) {
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
            Group created = Group.created(groupId, name == null ? Group.defaultName(groupId) : name,
                    List.copyOf(members));
            PreparedStatement group = db.prepare(INSERT_GROUP);
            group.setString(1, groupId);
            group.setLong(2, clock.getAsLong());
            group.setString(3, created.name());
            group.executeUpdate();
            PreparedStatement member = db.prepare(INSERT_MEMBER);
            long since = lastMessageId.on(db);
            try {
                for (String memberId : members) {
                    member.setString(1, groupId);
                    member.setString(2, memberId);
                    member.setLong(3, since);
                    member.setInt(4, created.roleOf(memberId).code());
                    member.addBatch();
                }
                member.executeBatch();
            } catch (SQLException | RuntimeException e) {
                member.clearBatch(); // the statement is cached: leave no rows behind for its next use
                throw e;
            }
            db.wrote(1 + members.size());
            changedInTransaction.add(groupId);
            cache.put(groupId, created);
            return created;
        });
    }

    @Override
    public CompletionStage<Optional<Group>> find(String groupId) {
        requireNonNull(groupId, "groupId");
        Group known = committed.get(groupId);
        if (known != null) {
            return CompletableFuture.completedFuture(Optional.of(known));
        }
        return writer.submitRead(db -> {
            Group group = load(db, groupId);
            boolean committedState = !changedInTransaction.contains(groupId);
            if (group != null && committedState) {
                committed.offer(group);
            }
            return new StoreWriter.Read<>(Optional.ofNullable(group), committedState);
        });
    }

    /**
     * Submits a change of the group, counted in {@link #committed} until it committed or failed; the stage completes
     * after that, so a caller's next lookup sees the change.
     */
    private <T> CompletionStage<T> changeOf(String groupId, StoreWriter.Op<T> change) {
        committed.changing(groupId);
        return writer.submit(db -> {
            changedInTransaction.add(groupId); // also if it turns out to change nothing: a lookup then just waits
            return change.run(db);
        }).whenComplete((result, failure) -> committed.changed(groupId));
    }

    @Override
    public CompletionStage<Membership> join(String groupId, String userId, int maxMembers) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return changeOf(groupId, db -> {
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
            Group joined = group.withMembersAdded(List.of(userId));
            persist(db, group, joined);
            cache.put(groupId, joined);
            return new Membership(Outcome.JOINED, joined);
        });
    }

    @Override
    public CompletionStage<Membership> quit(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return changeOf(groupId, db -> {
            Group group = load(db, groupId);
            if (group == null) {
                return new Membership(Outcome.NO_SUCH_GROUP, null);
            }
            if (!group.hasMember(userId)) {
                return new Membership(Outcome.NOT_A_MEMBER, group);
            }
            Group left = group.withMemberRemoved(userId);
            if (left == null) {
                PreparedStatement delete = db.prepare(DELETE_MEMBER);
                delete.setString(1, groupId);
                delete.setString(2, userId);
                delete.executeUpdate();
                db.wrote(1);
                PreparedStatement markDeleted = db.prepare(MARK_DELETED);
                markDeleted.setLong(1, clock.getAsLong());
                markDeleted.setString(2, groupId);
                markDeleted.executeUpdate();
                db.wrote(1);
                cache.remove(groupId);
                return new Membership(Outcome.LEFT_AND_DELETED, null);
            }
            persist(db, group, left);
            cache.put(groupId, left);
            return new Membership(Outcome.LEFT, left,
                    left.ownerId().equals(group.ownerId()) ? null : left.ownerId());
        });
    }

    @Override
    public CompletionStage<GroupChange> change(String groupId, GroupCommand command) {
        requireNonNull(groupId, "groupId");
        requireNonNull(command, "command");
        return changeOf(groupId, db -> {
            Group group = load(db, groupId);
            if (group == null) {
                return new GroupChange(GroupChange.Outcome.NO_SUCH_GROUP, null, List.of());
            }
            GroupChange change = command.applyTo(group); // checked and written on the one writer thread: no race
            if (change.outcome() == GroupChange.Outcome.CHANGED) {
                persist(db, group, change.group());
                cache.put(groupId, change.group());
            }
            return change;
        });
    }

    @Override
    public CompletionStage<List<Group>> groupsWith(String userId) {
        requireNonNull(userId, "userId");
        return readers.submit(db -> {
            List<Group> found = new ArrayList<>();
            for (String groupId : groupIdsOf(db, userId)) {
                Group group = select(db, groupId); // not load(): the cache is the writer's
                if (group != null) {
                    found.add(group);
                }
            }
            return List.copyOf(found);
        });
    }

    /**
     * Writes what differs between two snapshots of a group that still has members: its name and mute, members
     * removed and added (at the end, joining now) and changed roles and mutes.
     */
    private void persist(SqliteConnection db, Group before, Group after) throws SQLException {
        String groupId = after.groupId();
        int rows = 0;
        if (!before.name().equals(after.name()) || before.muted() != after.muted()) {
            PreparedStatement update = db.prepare(UPDATE_GROUP);
            update.setString(1, after.name());
            update.setInt(2, after.muted() ? 1 : 0);
            update.setString(3, groupId);
            rows += update.executeUpdate();
        }
        Set<String> remaining = new HashSet<>(after.memberIds());
        for (String memberId : before.memberIds()) {
            if (!remaining.contains(memberId)) {
                PreparedStatement delete = db.prepare(DELETE_MEMBER);
                delete.setString(1, groupId);
                delete.setString(2, memberId);
                rows += delete.executeUpdate();
            }
        }
        Set<String> earlier = new HashSet<>(before.memberIds());
        long since = -1;
        for (String memberId : after.memberIds()) {
            if (!earlier.contains(memberId)) {
                if (since < 0) {
                    since = lastMessageId.on(db);
                }
                PreparedStatement insert = db.prepare(INSERT_MEMBER);
                insert.setString(1, groupId);
                insert.setString(2, memberId);
                insert.setLong(3, since);
                insert.setInt(4, after.roleOf(memberId).code());
                rows += insert.executeUpdate();
                if (after.mutedIds().contains(memberId)) {
                    rows += updateMember(db, after, memberId);
                }
            } else if (before.roleOf(memberId) != after.roleOf(memberId)
                    || before.mutedIds().contains(memberId) != after.mutedIds().contains(memberId)) {
                rows += updateMember(db, after, memberId);
            }
        }
        db.wrote(rows);
    }

    private static int updateMember(SqliteConnection db, Group group, String memberId) throws SQLException {
        PreparedStatement update = db.prepare(UPDATE_MEMBER);
        update.setInt(1, group.roleOf(memberId).code());
        update.setInt(2, group.mutedIds().contains(memberId) ? 1 : 0);
        update.setString(3, group.groupId());
        update.setString(4, memberId);
        return update.executeUpdate();
    }

    @Override
    public CompletionStage<List<String>> groupsOf(String userId) {
        requireNonNull(userId, "userId");
        return readers.submit(db -> groupIdsOf(db, userId));
    }

    private static List<String> groupIdsOf(SqliteConnection db, String userId) throws SQLException {
        PreparedStatement select = db.prepare(GROUPS_OF);
        select.setString(1, userId);
        List<String> groupIds = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                groupIds.add(rows.getString(1));
            }
        }
        return List.copyOf(groupIds);
    }

    @Override
    public CompletionStage<List<MemberSince>> membershipsOf(String userId) {
        requireNonNull(userId, "userId");
        return readers.submit(db -> {
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
        return readers.submit(db -> {
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
        changedInTransaction.clear();
    }

    /** The open transaction is about to commit: from the next one on, its changes are committed state. */
    void beforeCommit() {
        changedInTransaction.clear();
    }

    /** The group from the cache or, on a miss, from the database (then cached); writer thread only. */
    private Group load(SqliteConnection db, String groupId) throws SQLException {
        Group cached = cache.get(groupId);
        if (cached != null) {
            return cached;
        }
        Group group = select(db, groupId);
        if (group != null) {
            cache.put(groupId, group);
        }
        return group;
    }

    /** The group as the connection's transaction sees it, or null if it has no members; any thread's connection. */
    private static Group select(SqliteConnection db, String groupId) throws SQLException {
        PreparedStatement select = db.prepare(MEMBERS);
        select.setString(1, groupId);
        List<String> members = new ArrayList<>();
        String owner = null;
        Set<String> admins = new HashSet<>();
        Set<String> muted = new HashSet<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String memberId = rows.getString(1);
                members.add(memberId);
                GroupRole role = GroupRole.ofCode(rows.getInt(2));
                if (role == GroupRole.OWNER && owner == null) {
                    owner = memberId;
                } else if (role != GroupRole.MEMBER) {
                    admins.add(memberId);
                }
                if (rows.getInt(3) != 0) {
                    muted.add(memberId);
                }
            }
        }
        if (members.isEmpty()) {
            return null;
        }
        if (owner == null) { // never written so; a group must have an owner: its longest-standing member
            owner = members.get(0);
            admins.remove(owner);
        }
        PreparedStatement row = db.prepare(GROUP_ROW);
        row.setString(1, groupId);
        String name;
        boolean groupMuted;
        try (ResultSet found = row.executeQuery()) {
            if (!found.next()) {
                throw new SQLException("group " + groupId + " has members but no chat_groups row");
            }
            name = found.getString(1);
            groupMuted = found.getInt(2) != 0;
        }
        return new Group(groupId, name, members, owner, admins, muted, groupMuted);
    }
}
