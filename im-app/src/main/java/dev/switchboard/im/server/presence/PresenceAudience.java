package dev.switchboard.im.server.presence;

import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.MessageStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who is told about a user's presence: "the people one shares a conversation with": the co-members of the user's
 * groups and the users it has a direct conversation with.
 *
 * <p>Bounded, since a client decides how many groups it joins: at most {@link #MAX_GROUPS} groups are read (the
 * ones joined first) and at most {@link #MAX_USERS} users returned, direct peers first. Reads the store (the direct
 * peers, one {@code groupsOf}, then one {@code find} per group, all queued at once); never blocks. Stateless and thread-safe.
 */
@Singleton
public final class PresenceAudience {

    /** Groups of a user whose members are told; a user in more groups is announced to the first ones joined. */
    static final int MAX_GROUPS = 1_000;
    /** Users told about one change, at most: ten groups of the largest size. */
    static final int MAX_USERS = 50_000;

    private final GroupStore groups;
    private final MessageStore messages;

    @Inject
    public PresenceAudience(GroupStore groups, MessageStore messages) {
        this.groups = groups;
        this.messages = messages;
    }

    /** The users who see {@code userId}'s presence, without {@code userId}; in no particular order. */
    public CompletionStage<Set<String>> of(String userId) {
        CompletableFuture<List<String>> peers = messages.directPeers(userId, MAX_USERS).toCompletableFuture();
        return peers.thenCombine(groups.groupsOf(userId), (direct, groupIds) -> groupIds).thenCompose(groupIds -> {
            List<CompletableFuture<Optional<Group>>> found = new ArrayList<>();
            for (String groupId : groupIds.subList(0, Math.min(groupIds.size(), MAX_GROUPS))) {
                found.add(groups.find(groupId).toCompletableFuture());
            }
            return CompletableFuture.allOf(found.toArray(CompletableFuture[]::new)).thenApply(done -> {
                Set<String> audience = new LinkedHashSet<>(peers.join());
                for (CompletableFuture<Optional<Group>> group : found) {
                    for (String member : group.join().map(Group::memberIds).orElse(List.of())) {
                        if (audience.size() >= MAX_USERS) {
                            break;
                        }
                        audience.add(member);
                    }
                }
                audience.remove(userId);
                return audience;
            });
        });
    }
}
