package dev.switchboard.bench.protocol;

/** Command 2. {@code token} (v2) resumes the session on a later connection. */
public record LoginResponse(boolean success, String reason, String userId, String userName, String token) {}
