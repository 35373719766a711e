package dev.switchboard.im.store.postgres;

import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupChange;
import dev.switchboard.im.store.GroupCommand;
import dev.switchboard.im.store.GroupRole;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.IdGenerator;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.Membership;
import dev.switchboard.im.store.Membership.Outcome;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * {@link GroupStore} of {@link PostgresStorage}. A change reads the group with its {@code chat_groups} row locked
 * ({@code FOR UPDATE}), decides, and writes the difference in the same transaction: a join on another node waits
 * for the lock and then sees this change, so concurrent joins cannot overfill a group wherever they run. Nothing is
 * cached, since another node may change a group at any time.
 */
final class PostgresGroupStore implements GroupStore {

    private static final String INSERT_GROUP = """
            INSERT INTO chat_groups (group_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""";
    private static final String INSERT_MEMBER =
            "INSERT INTO group_members (group_id, user_id, joined_after, role, muted) VALUES (?, ?, ?, ?, ?)";
    private static final String LOCK_GROUP =
            "SELECT name, muted FROM chat_groups WHERE group_id = ? AND deleted_at IS NULL FOR UPDATE";
    private static final String GROUP_ROW =
            "SELECT name, muted FROM chat_groups WHERE group_id = ? AND deleted_at IS NULL";
    private static final String MEMBERS =
            "SELECT user_id, role, muted FROM group_members WHERE group_id = ? ORDER BY member_no";
    private static final String DELETE_MEMBER = "DELETE FROM group_members WHERE group_id = ? AND user_id = ?";
    private static final String UPDATE_MEMBER =
            "UPDATE group_members SET role = ?, muted = ? WHERE group_id = ? AND user_id = ?";
    private static final String UPDATE_GROUP = "UPDATE chat_groups SET name = ?, muted = ? WHERE group_id = ?";
    private static final String MARK_DELETED = "UPDATE chat_groups SET deleted_at = ? WHERE group_id = ?";
    private static final String MEMBERSHIPS = """
            SELECT m.group_id, m.joined_after FROM group_members m
            WHERE m.user_id = ? ORDER BY m.member_no""";
    private static final String MEMBER_SINCE =
            "SELECT joined_after FROM group_members WHERE group_id = ? AND user_id = ?";
    /** The last message id issued by any node (allocated, perhaps not yet committed): a join point. */
    static final String LAST_MESSAGE_ID =
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM messages_message_id_seq";

    private final PostgresWriter writer;
    private final LongSupplier clock;
    private final IdGenerator ids = new IdGenerator(); // writer thread only

    PostgresGroupStore(PostgresWriter writer, LongSupplier clock) {
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Group> create(String creatorId, String name, List<String> memberIds) {
        requireNonNull(creatorId, "creatorId");
        LinkedHashSet<String> members = new LinkedHashSet<>();
        members.add(creatorId);
        for (String memberId : memberIds) {
            members.add(requireNonNull(memberId, "member id"));
        }
        return writer.submit(tx -> {
            String groupId;
            PreparedStatement insert = tx.prepare(INSERT_GROUP);
            Group created;
            do { // deleted groups stay as rows, so the table holds every id issued
                groupId = ids.next();
                created = Group.created(groupId, name == null ? Group.defaultName(groupId) : name,
                        List.copyOf(members));
                insert.setString(1, groupId);
                insert.setString(2, created.name());
                insert.setLong(3, clock.getAsLong());
            } while (insert.executeUpdate() == 0);
            long since = lastMessageId(tx);
            PreparedStatement member = tx.prepare(INSERT_MEMBER);
            for (String memberId : members) {
                setMember(member, created, memberId, since);
                member.addBatch();
            }
            member.executeBatch();
            return created;
        });
    }

    @Override
    public CompletionStage<Optional<Group>> find(String groupId) {
        requireNonNull(groupId, "groupId");
        return writer.submit(tx -> Optional.ofNullable(load(tx, groupId, false)));
    }

    @Override
    public CompletionStage<Membership> join(String groupId, String userId, int maxMembers) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return writer.submit(tx -> {
            Group group = load(tx, groupId, true);
            if (group == null) {
                return new Membership(Outcome.NO_SUCH_GROUP, null);
            }
            if (group.hasMember(userId)) {
                return new Membership(Outcome.ALREADY_MEMBER, group);
            }
            if (group.memberIds().size() >= maxMembers) {
                return new Membership(Outcome.FULL, group); // under the group's row lock: no race
            }
            Group joined = group.withMembersAdded(List.of(userId));
            persist(tx, group, joined);
            return new Membership(Outcome.JOINED, joined);
        });
    }

    @Override
    public CompletionStage<Membership> quit(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return writer.submit(tx -> {
            Group group = load(tx, groupId, true);
            if (group == null) {
                return new Membership(Outcome.NO_SUCH_GROUP, null);
            }
            if (!group.hasMember(userId)) {
                return new Membership(Outcome.NOT_A_MEMBER, group);
            }
            Group left = group.withMemberRemoved(userId);
            if (left == null) {
                deleteMember(tx, groupId, userId);
                PreparedStatement markDeleted = tx.prepare(MARK_DELETED);
                markDeleted.setLong(1, clock.getAsLong());
                markDeleted.setString(2, groupId);
                markDeleted.executeUpdate();
                return new Membership(Outcome.LEFT_AND_DELETED, null);
            }
            persist(tx, group, left);
            return new Membership(Outcome.LEFT, left, left.ownerId().equals(group.ownerId()) ? null : left.ownerId());
        });
    }

    @Override
    public CompletionStage<GroupChange> change(String groupId, GroupCommand command) {
        requireNonNull(groupId, "groupId");
        requireNonNull(command, "command");
        return writer.submit(tx -> {
            Group group = load(tx, groupId, true);
            if (group == null) {
                return new GroupChange(GroupChange.Outcome.NO_SUCH_GROUP, null, List.of());
            }
            GroupChange change = command.applyTo(group); // under the group's row lock: no change comes between
            if (change.outcome() == GroupChange.Outcome.CHANGED) {
                persist(tx, group, change.group());
            }
            return change;
        });
    }

    @Override
    public CompletionStage<List<Group>> groupsWith(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> {
            List<Group> found = new ArrayList<>();
            for (MemberSince membership : memberships(tx, userId)) {
                Group group = load(tx, membership.groupId(), false);
                if (group != null) {
                    found.add(group);
                }
            }
            return List.copyOf(found);
        });
    }

    @Override
    public CompletionStage<List<String>> groupsOf(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> memberships(tx, userId).stream().map(MemberSince::groupId).toList());
    }

    @Override
    public CompletionStage<List<MemberSince>> membershipsOf(String userId) {
        requireNonNull(userId, "userId");
        return writer.submit(tx -> memberships(tx, userId));
    }

    @Override
    public CompletionStage<Optional<MemberSince>> memberSince(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        return writer.submit(tx -> {
            PreparedStatement select = tx.prepare(MEMBER_SINCE);
            select.setString(1, groupId);
            select.setString(2, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new MemberSince(groupId, row.getLong(1)))
                        : Optional.<MemberSince>empty();
            }
        });
    }

    private static List<MemberSince> memberships(Tx tx, String userId) throws SQLException {
        PreparedStatement select = tx.prepare(MEMBERSHIPS);
        select.setString(1, userId);
        List<MemberSince> memberships = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                memberships.add(new MemberSince(rows.getString(1), rows.getLong(2)));
            }
        }
        return List.copyOf(memberships);
    }

    static long lastMessageId(Tx tx) throws SQLException {
        return PostgresWriter.queryLong(tx.prepare(LAST_MESSAGE_ID));
    }

    /** Writes what differs between two snapshots of a group that still has members. */
    private static void persist(Tx tx, Group before, Group after) throws SQLException {
        String groupId = after.groupId();
        if (!before.name().equals(after.name()) || before.muted() != after.muted()) {
            PreparedStatement update = tx.prepare(UPDATE_GROUP);
            update.setString(1, after.name());
            update.setBoolean(2, after.muted());
            update.setString(3, groupId);
            update.executeUpdate();
        }
        Set<String> remaining = new HashSet<>(after.memberIds());
        for (String memberId : before.memberIds()) {
            if (!remaining.contains(memberId)) {
                deleteMember(tx, groupId, memberId);
            }
        }
        Set<String> earlier = new HashSet<>(before.memberIds());
        long since = -1;
        for (String memberId : after.memberIds()) {
            if (!earlier.contains(memberId)) {
                if (since < 0) {
                    since = lastMessageId(tx);
                }
                PreparedStatement insert = tx.prepare(INSERT_MEMBER);
                setMember(insert, after, memberId, since);
                insert.executeUpdate();
            } else if (before.roleOf(memberId) != after.roleOf(memberId)
                    || before.mutedIds().contains(memberId) != after.mutedIds().contains(memberId)) {
                PreparedStatement update = tx.prepare(UPDATE_MEMBER);
                update.setInt(1, after.roleOf(memberId).code());
                update.setBoolean(2, after.mutedIds().contains(memberId));
                update.setString(3, groupId);
                update.setString(4, memberId);
                update.executeUpdate();
            }
        }
    }

    private static void setMember(PreparedStatement insert, Group group, String memberId, long since)
            throws SQLException {
        insert.setString(1, group.groupId());
        insert.setString(2, memberId);
        insert.setLong(3, since);
        insert.setInt(4, group.roleOf(memberId).code());
        insert.setBoolean(5, group.mutedIds().contains(memberId));
    }

    private static void deleteMember(Tx tx, String groupId, String userId) throws SQLException {
        PreparedStatement delete = tx.prepare(DELETE_MEMBER);
        delete.setString(1, groupId);
        delete.setString(2, userId);
        delete.executeUpdate();
    }

    /** The group, or null if it does not exist (or was deleted); {@code lock}: its row locked until the commit. */
    private static Group load(Tx tx, String groupId, boolean lock) throws SQLException {
        PreparedStatement row = tx.prepare(lock ? LOCK_GROUP : GROUP_ROW);
        row.setString(1, groupId);
        String name;
        boolean groupMuted;
        try (ResultSet found = row.executeQuery()) {
            if (!found.next()) {
                return null;
            }
            name = found.getString(1);
            groupMuted = found.getBoolean(2);
        }
        PreparedStatement select = tx.prepare(MEMBERS);
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
                if (rows.getBoolean(3)) {
                    muted.add(memberId);
                }
            }
        }
        if (members.isEmpty()) {
            return null; // never written so: the last quit marks the group deleted in the same transaction
        }
        if (owner == null) {
            owner = members.get(0);
            admins.remove(owner);
        }
        return new Group(groupId, name, members, owner, admins, muted, groupMuted);
    }
}
