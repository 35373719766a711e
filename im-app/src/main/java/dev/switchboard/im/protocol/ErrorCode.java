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
    INTERNAL
}
