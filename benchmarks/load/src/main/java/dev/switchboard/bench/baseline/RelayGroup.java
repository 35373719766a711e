package dev.switchboard.bench.baseline;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A group and its members. Joins copy the member array, so a fan-out iterates a snapshot without locking: joins
 * are rare, group messages are the hot path.
 */
final class RelayGroup {

    private final String id;
    private volatile RelayUser[] members;

    RelayGroup(String id, Set<RelayUser> members) {
        this.id = id;
        this.members = members.toArray(new RelayUser[0]);
    }

    String id() {
        return id;
    }

    RelayUser[] members() {
        return members;
    }

    boolean isMember(RelayUser user) {
        for (RelayUser member : members) {
            if (member == user) {
                return true;
            }
        }
        return false;
    }

    synchronized void join(RelayUser user) {
        if (!isMember(user)) {
            Set<RelayUser> next = new LinkedHashSet<>(Arrays.asList(members));
            next.add(user);
            members = next.toArray(new RelayUser[0]);
        }
    }
}
