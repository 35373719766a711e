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
    INTERNAL
}
