package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 1: log in, registering the name on first use (when registration is open).
 *
 * @param userName the account
 * @param password the password (or null with a token)
 * @param token v2: a resume token from an earlier LoginResponse, instead of the password
 * @param lastSeq v2: the last seq this device received; everything retained after it is sent again
 */
@Command(code = 1, anonymous = true)
public record LoginRequest(String userName, String password, String token, Long lastSeq) {

    /** A version-1 login. */
    public static LoginRequest withPassword(String userName, String password) {
        return new LoginRequest(userName, password, null, null);
    }
}
