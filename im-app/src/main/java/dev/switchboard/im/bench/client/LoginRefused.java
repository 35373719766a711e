package dev.switchboard.im.bench.client;

/** A LoginResponse with {@code success = false}. */
public final class LoginRefused extends RuntimeException {

    public LoginRefused(String userName, String reason) {
        super("login of " + userName + " refused: " + reason, null, false, false);
    }
}
