package dev.switchboard.im.store;

/**
 * What an inbox entry carries. Messages and the events that must reach a user's devices in order with them (also
 * devices that were offline) share the inbox and its seqs, so one cursor, one acknowledgement and one backlog read
 * cover both.
 */
public enum EntryKind {
    /** A chat message, direct or to a group: part of its conversation's history. */
    MESSAGE(0),
    /**
     * A read position moved: {@link StoredMessage#senderId()} read the conversation up to
     * {@link StoredMessage#refMessageId()}. Goes to the reader's own inbox (so the reader's other devices sync) and,
     * in a direct conversation, to the other side's.
     */
    READ(1),
    /**
     * A group changed (created, renamed, a member joined, left, was added, kicked, promoted, muted, ...): what
     * changed is {@link GroupEvent#decode decoded} from {@link StoredMessage#text()}, who changed it is the sender.
     * Goes to the members' inboxes (and to the user it removed) and, unlike a read event, is part of the group's
     * history; it never counts as unread.
     */
    GROUP_EVENT(2),
    /**
     * The author edited message {@link StoredMessage#refMessageId()}; {@link StoredMessage#text()} is the new text.
     * Goes to every participant's inbox (a group's members at the time), the author's included.
     */
    EDIT(3),
    /** The author recalled message {@link StoredMessage#refMessageId()}; its text is gone. Same recipients as EDIT. */
    RECALL(4);

    private final int code;

    EntryKind(int code) {
        this.code = code;
    }

    /** The stable number stored for this kind; never reuse one. */
    public int code() {
        return code;
    }

    /** Whether entries of this kind are part of their conversation's history. */
    public boolean inHistory() {
        return this == MESSAGE || this == GROUP_EVENT;
    }

    /** The kind stored as {@code code}. */
    public static EntryKind ofCode(int code) {
        for (EntryKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown entry kind " + code);
    }
}
