package dev.switchboard.im.client;

import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/** User names and group ids seen so far, for tab completion. Thread-safe; bounded. */
final class KnownNames {

    static final int MAX_EACH = 1_000;

    private final NavigableSet<String> users = new ConcurrentSkipListSet<>();
    private final NavigableSet<String> groups = new ConcurrentSkipListSet<>();

    void user(String name) {
        add(users, name);
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
