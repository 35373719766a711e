package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.Group;
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

    /** Members in join order, plus the immutable snapshot handed out until the next change. */
    private static final class Members {
        final LinkedHashSet<String> ids = new LinkedHashSet<>();
        /** Each member's join point: the last message id issued when it joined. */
        final Map<String, Long> joinedAfter = new HashMap<>();
        Group snapshot;

        Group refresh(String groupId) {
            snapshot = new Group(groupId, List.copyOf(ids));
            return snapshot;
        }
    }

    private final IdGenerator ids = new IdGenerator();
    private final LongSupplier lastMessageId;
    private final Map<String, Members> groups = new HashMap<>();
    /** Every group id ever issued, deleted groups included, so that none is reused. */
    private final Set<String> issuedIds = new HashSet<>();
    private final Map<String, LinkedHashSet<String>> groupsByUser = new HashMap<>();

    /** @param lastMessageId the message store's last issued id, for join points; called under this store's lock */
    MemoryGroupStore(LongSupplier lastMessageId) {
        this.lastMessageId = lastMessageId;
    }

    @Override
    public synchronized CompletionStage<Group> create(String creatorId, List<String> memberIds) {
        requireNonNull(creatorId, "creatorId");
        requireNonNull(memberIds, "memberIds");
        String groupId;
        do {
            groupId = ids.next();
        } while (!issuedIds.add(groupId));
        Members members = new Members();
        members.ids.add(creatorId);
        for (String memberId : memberIds) {
            members.ids.add(requireNonNull(memberId, "member id"));
        }
        long since = lastMessageId.getAsLong();
        for (String memberId : members.ids) {
            groupsByUser.computeIfAbsent(memberId, k -> new LinkedHashSet<>()).add(groupId);
            members.joinedAfter.put(memberId, since);
        }
        groups.put(groupId, members);
        return completedFuture(members.refresh(groupId));
    }

    @Override
    public synchronized CompletionStage<Optional<Group>> find(String groupId) {
        requireNonNull(groupId, "groupId");
        Members members = groups.get(groupId);
        return completedFuture(members == null ? Optional.empty() : Optional.of(members.snapshot));
    }

    @Override
    public synchronized CompletionStage<Membership> join(String groupId, String userId, int maxMembers) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        Members members = groups.get(groupId);
        if (members == null) {
            return completedFuture(new Membership(Outcome.NO_SUCH_GROUP, null));
        }
        if (members.ids.contains(userId)) {
            return completedFuture(new Membership(Outcome.ALREADY_MEMBER, members.snapshot));
        }
        if (members.ids.size() >= maxMembers) {
            return completedFuture(new Membership(Outcome.FULL, members.snapshot));
        }
        members.ids.add(userId);
        members.joinedAfter.put(userId, lastMessageId.getAsLong());
        groupsByUser.computeIfAbsent(userId, k -> new LinkedHashSet<>()).add(groupId);
        return completedFuture(new Membership(Outcome.JOINED, members.refresh(groupId)));
    }

    @Override
    public synchronized CompletionStage<Membership> quit(String groupId, String userId) {
        requireNonNull(groupId, "groupId");
        requireNonNull(userId, "userId");
        Members members = groups.get(groupId);
        if (members == null) {
            return completedFuture(new Membership(Outcome.NO_SUCH_GROUP, null));
        }
        if (!members.ids.remove(userId)) {
            return completedFuture(new Membership(Outcome.NOT_A_MEMBER, members.snapshot));
        }
        members.joinedAfter.remove(userId);
        LinkedHashSet<String> ofUser = groupsByUser.get(userId);
        ofUser.remove(groupId);
        if (ofUser.isEmpty()) {
            groupsByUser.remove(userId);
        }
        if (members.ids.isEmpty()) {
            groups.remove(groupId);
            return completedFuture(new Membership(Outcome.LEFT_AND_DELETED, null));
        }
        return completedFuture(new Membership(Outcome.LEFT, members.refresh(groupId)));
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
        Members members = groups.get(groupId);
        Long since = members == null ? null : members.joinedAfter.get(userId);
        return completedFuture(since == null ? Optional.empty() : Optional.of(new MemberSince(groupId, since)));
    }
}
