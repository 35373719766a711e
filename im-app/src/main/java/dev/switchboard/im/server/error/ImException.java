package dev.switchboard.im.server.error;

import dev.switchboard.im.protocol.ErrorCode;

/**
 * A request the server refuses for a reason the client should hear. Handlers throw it; {@link ImErrorHandler}
 * turns it into the reply of the connection's protocol version. Cheap: no stack trace.
 */
public class ImException extends RuntimeException {

    private final ErrorCode code;

    public ImException(ErrorCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ImException badRequest(String reason) {
        return new ImException(ErrorCode.BAD_REQUEST, reason);
    }

    public static ImException noSuchUser(String who) {
        return new ImException(ErrorCode.NO_SUCH_USER, "no such user: " + who);
    }

    public static ImException noSuchGroup(String groupId) {
        return new ImException(ErrorCode.NO_SUCH_GROUP, "no such group: " + groupId);
    }

    public static ImException notAMember(String groupId) {
        return new ImException(ErrorCode.NOT_A_MEMBER, "not a member of group " + groupId);
    }

    public static ImException notAllowed(String reason) {
        return new ImException(ErrorCode.NOT_ALLOWED, reason);
    }

    public static ImException muted(String groupId) {
        return new ImException(ErrorCode.MUTED, "you may not post in group " + groupId + " now: muted");
    }

    public static ImException noSuchMember(String who, String groupId) {
        return new ImException(ErrorCode.NO_SUCH_MEMBER, who + " is not a member of group " + groupId);
    }


    public static ImException rateLimited() {
        return new ImException(ErrorCode.RATE_LIMITED, "too many requests; slow down");
    }
}
