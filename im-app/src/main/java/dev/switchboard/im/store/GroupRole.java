package dev.switchboard.im.store;

/**
 * A member's role in a group. Each group has exactly one {@link #OWNER}; {@link #ADMIN}s and the owner manage it;
 * everyone else is a {@link #MEMBER}. A role outranks another if its {@link #rank()} is higher.
 */
public enum GroupRole {
    /** An ordinary member: may post (unless muted) and leave. */
    MEMBER(0),
    /** Renames, adds, kicks and mutes members (only those who rank below), mutes the group. */
    ADMIN(1),
    /** Everything an admin may, plus promote and demote admins and transfer ownership. */
    OWNER(2);

    private final int code;

    GroupRole(int code) {
        this.code = code;
    }

    /** The stable number stored for this role (and its rank); never reuse one. */
    public int code() {
        return code;
    }

    /** Higher ranks manage lower ones. */
    public int rank() {
        return code;
    }

    /** Whether this role may manage the group (rename, add, kick, mute). */
    public boolean manages() {
        return this != MEMBER;
    }

    /** The role stored as {@code code}. */
    public static GroupRole ofCode(int code) {
        for (GroupRole role : values()) {
            if (role.code == code) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown group role " + code);
    }
}
