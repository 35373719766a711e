package dev.switchboard.im.client;

import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/** User names and group ids seen so far, for tab completion and for showing names instead of ids. Thread-safe; bounded. */
final class KnownNames {

    static final int MAX_EACH = 1_000;

    private final NavigableSet<String> users = new ConcurrentSkipListSet<>();
    private final NavigableSet<String> groups = new ConcurrentSkipListSet<>();
    private final ConcurrentHashMap<String, String> namesById = new ConcurrentHashMap<>();

    void user(String name) {
        add(users, name);
    }

    /** A user seen with both id and name. */
    void user(String userId, String name) {
        user(name);
        if (userId != null && name != null && namesById.size() < MAX_EACH) {
            namesById.put(userId, name);
        }
    }

    /** The name seen with this user id, or null. */
    String nameOf(String userId) {
        return userId == null ? null : namesById.get(userId);
    }

    void users(Collection<String> names) {
        if (names != null) {
            names.forEach(this::user);
        }
    }

    void group(String groupId) {
        add(groups, groupId);
    }

    List<String> users() {
        return List.copyOf(users);
    }

    List<String> groups() {
        return List.copyOf(groups);
    }

    private static void add(NavigableSet<String> set, String value) {
        if (value != null && !value.isBlank() && set.size() < MAX_EACH) {
            set.add(value);
        }
    }
}
