package dev.switchboard.bench.protocol;

/**
 * Command 23: why a request was refused. {@code code} is one of the constants below (or RATE_LIMITED, INTERNAL
 * from other servers).
 */
public record ErrorResponse(Integer requestCommand, String code, String reason) {

    public static final String NOT_LOGGED_IN = "NOT_LOGGED_IN";
    public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String NO_SUCH_USER = "NO_SUCH_USER";
    public static final String NO_SUCH_GROUP = "NO_SUCH_GROUP";
    public static final String NOT_A_MEMBER = "NOT_A_MEMBER";

    /** Whether this refuses a direct or group message (the sender's business), not some other request. */
    public boolean refusesAMessage() {
        return requestCommand != null && (requestCommand == CommandCode.MESSAGE_REQUEST.code()
                || requestCommand == CommandCode.GROUP_MESSAGE_REQUEST.code());
    }
}
