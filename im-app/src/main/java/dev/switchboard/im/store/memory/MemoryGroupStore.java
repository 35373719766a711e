package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupChange;
import dev.switchboard.im.store.GroupCommand;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.IdGenerator;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.Membership;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.switchboard.im.store.Membership.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/** {@link GroupStore} of {@link MemoryStorage}; all state guarded by {@code this}. */
final class MemoryGroupStore implements GroupStore {

    /** A group's current snapshot and each member's join point (the last message id issued when it joined). */
    private static final class State {
        Group group;
        final Map<String, Long> joinedAfter = new HashMap<>();

        State(Group group) {
            this.group = group;
        }
    }

    private final IdGenerator ids = new IdGenerator();
    private final LongSupplier lastMessageId;
    private final Map<String, State> groups = new HashMap<>();
    /** Every group id ever issued, deleted groups included, so that none is reused. */
    private final Set<String> issuedIds = new HashSet<>();
    private final Map<String, LinkedHashSet<String>> groupsByUser = new HashMap<>();

    /** @param lastMessageId the message store's last issued id, for join points; called under this store's lock */
    MemoryGroupStore(LongSupplier lastMessageId) {
        this.lastMessageId = lastMessageId;
    }

    @Override
    public synchronized CompletionStage<Group> create(String creatorId, String name, List<String> memberIds) {
        requireNonNull(creatorId, "creatorId");
        requireNonNull(memberIds, "memberIds");
        String groupId;
        do {
            groupId = ids.next();
        } while (!issuedIds.add(groupId));
        LinkedHashSet<String> members = new LinkedHashSet<>();
        members.add(creatorId);
        for (String memberId : memberIds) {
            members.add(requireNonNull(memberId, "member id"));
        }
        State state = new State(Group.created(groupId, name == null ? Group.defaultName(groupId) : name,
                List.copyOf(members)));
        added(state, members);
        groups.put(groupId, state);
        return completedFuture(state.group);
    }

    @Override
    public synchronized CompletionStage<Optional<Group>> find(String groupId) {
        requireNonNull(groupId, "groupId");
        State state = groups.get(groupId);
        return completedFuture(state == null ? Optional.empty() : Optional.of(state.group));
    }

    @Override
    public synchronized CompletionStage<Membership> join(String groupId, String userId, int maxMembers) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        State state = groups.get(groupId);
        if (state == null) {
            return completedFuture(new Membership(Outcome.NO_SUCH_GROUP, null));
        }
        if (state.group.hasMember(userId)) {
            return completedFuture(new Membership(Outcome.ALREADY_MEMBER, state.group));
        }
        if (state.group.memberIds().size() >= maxMembers) {
            return completedFuture(new Membership(Outcome.FULL, state.group));
        }
        state.group = state.group.withMembersAdded(List.of(userId));
        added(state, List.of(userId));
        return completedFuture(new Membership(Outcome.JOINED, state.group));
    }

    @Override
    public synchronized CompletionStage<Membership> quit(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        State state = groups.get(groupId);
        if (state == null) {
            return completedFuture(new Membership(Outcome.NO_SUCH_GROUP, null));
        }
        if (!state.group.hasMember(userId)) {
            return completedFuture(new Membership(Outcome.NOT_A_MEMBER, state.group));
        }
        Group after = state.group.withMemberRemoved(userId);
        removed(state, groupId, userId);
        if (after == null) {
            groups.remove(groupId);
            return completedFuture(new Membership(Outcome.LEFT_AND_DELETED, null));
        }
        String newOwner = after.ownerId().equals(state.group.ownerId()) ? null : after.ownerId();
        state.group = after;
        return completedFuture(new Membership(Outcome.LEFT, after, newOwner));
    }

    @Override
    public synchronized CompletionStage<GroupChange> change(String groupId, GroupCommand command) {
        requireNonNull(groupId, "groupId");
        requireNonNull(command, "command");
        State state = groups.get(groupId);
        if (state == null) {
            return completedFuture(new GroupChange(GroupChange.Outcome.NO_SUCH_GROUP, null, List.of()));
        }
        Group before = state.group;
        GroupChange change = command.applyTo(before);
        if (change.outcome() != GroupChange.Outcome.CHANGED) {
            return completedFuture(change);
        }
        Group after = change.group(); // a command never removes the last member: the actor stays
        for (String memberId : before.memberIds()) {
            if (!after.hasMember(memberId)) {
                removed(state, groupId, memberId);
            }
        }
        List<String> joined = after.memberIds().stream().filter(id -> !state.joinedAfter.containsKey(id)).toList();
        added(state, joined);
        state.group = after;
        return completedFuture(change);
    }

    @Override
    public synchronized CompletionStage<List<Group>> groupsWith(String userId) {
        requireNonNull(userId, "userId");
        LinkedHashSet<String> ofUser = groupsByUser.get(userId);
        if (ofUser == null) {
            return completedFuture(List.of());
        }
        return completedFuture(ofUser.stream().map(groupId -> groups.get(groupId).group).toList());
    }

    /** Records new members' join points and their group lists. */
    private void added(State state, Iterable<String> userIds) {
        long since = lastMessageId.getAsLong();
        for (String userId : userIds) {
            groupsByUser.computeIfAbsent(userId, k -> new LinkedHashSet<>()).add(state.group.groupId());
            state.joinedAfter.put(userId, since);
        }
    }

    private void removed(State state, String groupId, String userId) {
        state.joinedAfter.remove(userId);
        LinkedHashSet<String> ofUser = groupsByUser.get(userId);
        ofUser.remove(groupId);
        if (ofUser.isEmpty()) {
            groupsByUser.remove(userId);
        }
    }

    @Override
    public synchronized CompletionStage<List<String>> groupsOf(String userId) {
        requireNonNull(userId, "userId");
        LinkedHashSet<String> ofUser = groupsByUser.get(userId);
        return completedFuture(ofUser == null ? List.of() : List.copyOf(ofUser));
    }

    @Override
    public synchronized CompletionStage<List<MemberSince>> membershipsOf(String userId) {
        requireNonNull(userId, "userId");
        LinkedHashSet<String> ofUser = groupsByUser.get(userId);
        if (ofUser == null) {
            return completedFuture(List.of());
        }
        List<MemberSince> memberships = new ArrayList<>(ofUser.size());
        for (String groupId : ofUser) {
            memberships.add(new MemberSince(groupId, groups.get(groupId).joinedAfter.get(userId)));
        }
        return completedFuture(memberships);
    }

    @Override
    public synchronized CompletionStage<Optional<MemberSince>> memberSince(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        State state = groups.get(groupId);
        Long since = state == null ? null : state.joinedAfter.get(userId);
        return completedFuture(since == null ? Optional.empty() : Optional.of(new MemberSince(groupId, since)));
    }
}
