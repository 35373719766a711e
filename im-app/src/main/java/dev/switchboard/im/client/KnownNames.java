package dev.switchboard.im.client;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * User names, group ids and group names seen so far, for tab completion, for showing names instead of ids, and for
 * turning a group name typed at the console into its id. Thread-safe: the event loop learns, the console thread
 * reads. Bounded: at most {@value #MAX_EACH} users, group ids and group names; past that, new ones are not learnt
 * (a renamed group already known is still renamed).
 */
final class KnownNames {

    static final int MAX_EACH = 1_000;

    private final NavigableSet<String> users = new ConcurrentSkipListSet<>();
    private final NavigableSet<String> groups = new ConcurrentSkipListSet<>();
    private final ConcurrentHashMap<String, String> namesById = new ConcurrentHashMap<>();
    // Written under its own lock, so that the bound holds; read without it.
    private final Map<String, String> groupNamesById = new ConcurrentHashMap<>();

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

    /** A group seen with its current name (created, renamed, listed): the name replaces any earlier one. */
    void group(String groupId, String groupName) {
        group(groupId);
        if (groupId == null || groupName == null || groupName.isBlank()) {
            return;
        }
        synchronized (groupNamesById) {
            if (groupNamesById.containsKey(groupId) || groupNamesById.size() < MAX_EACH) {
                groupNamesById.put(groupId, groupName);
            }
        }
    }

    /** The last name seen for this group id, or null. */
    String groupNameOf(String groupId) {
        return groupId == null ? null : groupNamesById.get(groupId);
    }

    /** What a group argument typed at the console stands for. */
    sealed interface GroupRef permits Found, Unknown, Ambiguous {}

    /** The id to send. */
    record Found(String groupId) implements GroupRef {}

    /** A name (it has a space) that matches no group seen so far. */
    record Unknown(String name) implements GroupRef {}

    /** A name that several groups seen so far have, ignoring case; the user must give the id. */
    record Ambiguous(String name, List<String> groupIds) implements GroupRef {}

    /**
     * Resolves a group argument: a group id seen so far is that group; otherwise a name that exactly one group
     * seen so far has (ignoring case) is that group; otherwise a single word is taken as an id the client has not
     * seen (the server says if there is no such group), and anything with whitespace is an unknown name.
     */
    GroupRef resolveGroup(String text) {
        if (groups.contains(text) || groupNamesById.containsKey(text)) {
            return new Found(text);
        }
        String wanted = text.toLowerCase(Locale.ROOT);
        List<String> matches = groupNamesById.entrySet().stream()
                .filter(e -> e.getValue().toLowerCase(Locale.ROOT).equals(wanted))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        if (matches.size() == 1) {
            return new Found(matches.get(0));
        }
        if (matches.size() > 1) {
            return new Ambiguous(text, matches);
        }
        return text.chars().anyMatch(Character::isWhitespace) ? new Unknown(text) : new Found(text);
    }

    List<String> users() {
        return List.copyOf(users);
    }

    List<String> groups() {
        return List.copyOf(groups);
    }

    /** The distinct group names seen so far, sorted. */
    List<String> groupNames() {
        return groupNamesById.values().stream().distinct().sorted().toList();
    }

    private static void add(NavigableSet<String> set, String value) {
        if (value != null && !value.isBlank() && set.size() < MAX_EACH) {
            set.add(value);
        }
    }
}
