package dev.switchboard.im.store.sqlite;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.im.store.Group;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Groups as last committed, readable from any thread: the lookup every group message starts with is answered on
 * the caller's thread, without a trip through the writer's queue, when the group is known and no change of it is
 * queued or running. A sender's messages each wait for that lookup before they are stored (in order), so without
 * this they reach the writer one lookup at a time, one or two messages per commit.
 *
 * <p>Why it cannot answer stale: a change counts itself in ({@link #changing}) before it is submitted and out
 * ({@link #changed}) after it committed or failed, dropping the group's entry first; entries are added only by the
 * writer's own lookups of committed state ({@link #offer}), which run before any change queued behind them, and only
 * while no change is counted in. A lookup that finds a change in flight goes to the writer, which orders it after
 * that change as before.
 */
final class CommittedGroups {

    private final Cache<String, Group> groups;
    private final ConcurrentHashMap<String, Integer> changesInFlight = new ConcurrentHashMap<>();

    CommittedGroups(int capacity) {
        this.groups = Caffeine.newBuilder().maximumSize(capacity).build();
    }

    /** The group as committed, if known and not being changed; null otherwise (ask the writer). */
    Group get(String groupId) {
        if (changesInFlight.containsKey(groupId)) {
            return null;
        }
        return groups.getIfPresent(groupId);
    }

    /** A change of the group is about to be submitted. */
    void changing(String groupId) {
        changesInFlight.merge(groupId, 1, Integer::sum);
    }

    /** That change committed or failed: the committed state is no longer known here. */
    void changed(String groupId) {
        groups.invalidate(groupId);
        changesInFlight.computeIfPresent(groupId, (id, n) -> n == 1 ? null : n - 1);
    }

    /** Writer thread, from a lookup that read committed state: keeps it unless a change is already counted in. */
    void offer(Group group) {
        if (!changesInFlight.containsKey(group.groupId())) {
            groups.put(group.groupId(), group);
        }
    }

    /** Groups known, for tests. */
    long size() {
        groups.cleanUp();
        return groups.estimatedSize();
    }

    /** Changes counted in and not yet out, for tests. */
    int changesInFlight() {
        return changesInFlight.size();
    }
}
