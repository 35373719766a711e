package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 2: the answer to a login.
 *
 * @param success whether the login succeeded
 * @param reason why not, when it failed
 * @param userId the stable user id
 * @param userName the account
 * @param token v2: a resume token for the next login
 */
@Command(code = 2)
public record LoginResponse(boolean success, String reason, String userId, String userName, String token) {

    public static LoginResponse failed(String reason) {
        return new LoginResponse(false, reason, null, null, null);
    }
}
