package dev.switchboard.bench.protocol;

/** Command 1. Either {@code password} or (v2) a resume {@code token}; {@code lastSeq} (v2) asks for what came after. */
public record LoginRequest(String userName, String password, String token, Long lastSeq) {

    /** A password login. */
    public static LoginRequest withPassword(String userName, String password) {
        return new LoginRequest(userName, password, null, null);
    }

    /** A v2 resume login with the token of an earlier {@link LoginResponse}. */
    public static LoginRequest withToken(String userName, String token) {
        return new LoginRequest(userName, null, token, null);
    }
}
