package dev.switchboard.bench.baseline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Users by name and id, groups by id, and the id counters. In memory only; thread-safe. */
final class RelayDirectory {

    private final ConcurrentHashMap<String, RelayUser> usersByName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RelayUser> usersById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RelayGroup> groups = new ConcurrentHashMap<>();
    private final AtomicLong userIds = new AtomicLong();
    private final AtomicLong groupIds = new AtomicLong();
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicInteger onlineUsers = new AtomicInteger();

    /** The user with this name, registering it if new (open registration). */
    RelayUser register(String userName) {
        return usersByName.computeIfAbsent(userName, name -> {
            RelayUser user = new RelayUser(Long.toString(userIds.incrementAndGet()), name, onlineUsers);
            usersById.put(user.id(), user);
            return user;
        });
    }

    RelayUser byName(String userName) {
        return userName == null ? null : usersByName.get(userName);
    }

    RelayUser byId(String userId) {
        return userId == null ? null : usersById.get(userId);
    }

    RelayGroup createGroup(Set<RelayUser> members) {
        RelayGroup group = new RelayGroup("g" + groupIds.incrementAndGet(), members);
        groups.put(group.id(), group);
        return group;
    }

    RelayGroup group(String groupId) {
        return groupId == null ? null : groups.get(groupId);
    }

    /** Users with at least one logged-in connection. */
    int onlineUsers() {
        return onlineUsers.get();
    }

    long nextMessageId() {
        return messageIds.incrementAndGet();
    }
}
