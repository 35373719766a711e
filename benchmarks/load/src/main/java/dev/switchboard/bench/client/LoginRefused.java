package dev.switchboard.bench.client;

/** A LoginResponse with {@code success = false}. */
public final class LoginRefused extends RuntimeException {

    private final String reason;

    public LoginRefused(String userName, String reason) {
        super("login of " + userName + " refused: " + reason, null, false, false);
        this.reason = reason;
    }

    /** The server's reason, as sent (such as {@code invalid or expired token}). */
    public String reason() {
        return reason;
    }
}
