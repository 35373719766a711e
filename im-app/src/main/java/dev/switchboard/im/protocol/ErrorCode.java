package dev.switchboard.im.protocol;

/** The {@code code} values of {@link ErrorResponse}. */
public enum ErrorCode {
    NOT_LOGGED_IN,
    UNKNOWN_COMMAND,
    BAD_REQUEST,
    NO_SUCH_USER,
    NO_SUCH_GROUP,
    NOT_A_MEMBER,
    RATE_LIMITED,
    /** Edit or recall: no such message in that conversation, or it was recalled. */
    NO_SUCH_MESSAGE,
    /** Edit or recall of someone else's message. */
    NOT_THE_AUTHOR,
    /** Edit or recall after its window has passed. */
    TOO_LATE,
    INTERNAL,
    /** The requester's role in the group does not allow the command (or not on that member). */
    NOT_ALLOWED,
    /** A muted member (or, in a muted group, anyone but the owner and admins) posted. */
    MUTED,
    /** The member a group command names is not in the group. */
    NO_SUCH_MEMBER
}
