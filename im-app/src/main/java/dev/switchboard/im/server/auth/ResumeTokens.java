package dev.switchboard.im.server.auth;

import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Random resume tokens that let a v2 device log in again without the password (and without its slow hash).
 * Only a SHA-256 of each token is stored: 256 random bits need no salt or stretching. A token is single-use: spent
 * atomically by the login that uses it, which gets a new one, and revoked at logout, so a leaked token stops working once its owner logs in again.
 */
@Singleton
public final class ResumeTokens {

    private static final Duration LIFETIME = Duration.ofDays(30);

    private final SecureRandom random = new SecureRandom();
    private final UserStore users;
    private final Clock clock;

    @Inject
    public ResumeTokens(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /** Issues and stores a new token for the user. */
    public CompletionStage<String> issue(String userId) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return users.saveToken(userId, digest(token), clock.millis() + LIFETIME.toMillis()).thenApply(ok -> token);
    }

    /** Forgets a token: it no longer logs anyone in. */
    public CompletionStage<Void> revoke(String token) {
        return users.revokeToken(digest(token));
    }

    /** Revokes every token of the user; completes with how many there were. */
    public CompletionStage<Integer> revokeAll(String userId) {
        return users.revokeTokens(userId);
    }

    /** Spends a token: the user it belonged to, if it was known and unexpired; it never logs in again. */
    public CompletionStage<Optional<String>> spend(String token) {
        return users.consumeToken(digest(token), clock.millis());
    }

    /** The SHA-256 of a token: what is stored, and what nodes of a cluster tell each other. */
    static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
