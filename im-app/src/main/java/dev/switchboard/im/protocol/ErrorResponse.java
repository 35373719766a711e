package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.ErrorReply;

/**
 * 23 (v2): a request failed; the connection stays open.
 *
 * @param requestCommand the command code of the failed request
 * @param code one of {@link ErrorCode}'s names
 * @param reason a human-readable reason
 */
@Command(code = 23)
public record ErrorResponse(int requestCommand, String code, String reason) implements ErrorReply {

    public static ErrorResponse of(int requestCommand, ErrorCode code, String reason) {
        return new ErrorResponse(requestCommand, code.name(), reason);
    }
}
