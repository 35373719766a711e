package dev.switchboard.im.store;

import java.util.Objects;

/**
 * What a {@link EntryKind#GROUP_EVENT} records, stored as the entry's text: the type, the user it is about and a
 * detail, one per line. Names and group names cannot contain line breaks (they must be printable), so the encoding
 * is unambiguous.
 *
 * @param type what happened
 * @param userId the user it is about (the one added, kicked, promoted, muted, made owner; the one who joined or
 *     left), or {@code null} when it is about the group (created, renamed, muted)
 * @param userName that user's name, or {@code null}
 * @param detail the new name for {@link Type#CREATED} and {@link Type#RENAMED}, else {@code null}
 */
public record GroupEvent(Type type, String userId, String userName, String detail) {

    /** The kinds of group event; the wire names are {@link #wireName()}. */
    public enum Type {
        CREATED, RENAMED, JOINED, LEFT, ADDED, KICKED, PROMOTED, DEMOTED, MUTED, UNMUTED, GROUP_MUTED,
        GROUP_UNMUTED, OWNER_CHANGED;

        /** The name on the wire: lower case, such as {@code owner_changed}. */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public GroupEvent {
        Objects.requireNonNull(type, "type");
        if ((userId == null) != (userName == null)) {
            throw new IllegalArgumentException("userId and userName go together");
        }
    }

    /** An event about the group itself. */
    public static GroupEvent ofGroup(Type type, String detail) {
        return new GroupEvent(type, null, null, detail);
    }

    /** An event about a user. */
    public static GroupEvent ofUser(Type type, String userId, String userName) {
        return new GroupEvent(type, userId, userName, null);
    }

    /** The stored text. */
    public String encode() {
        return type.name() + '\n' + orEmpty(userId) + '\n' + orEmpty(userName) + '\n' + orEmpty(detail);
    }

    /** The event stored as {@code text} by {@link #encode}. */
    public static GroupEvent decode(String text) {
        String[] parts = text.split("\n", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a group event: " + text.length() + " characters");
        }
        return new GroupEvent(Type.valueOf(parts[0]), nullIfEmpty(parts[1]), nullIfEmpty(parts[2]),
                nullIfEmpty(parts[3]));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
