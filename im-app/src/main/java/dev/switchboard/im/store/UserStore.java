package dev.switchboard.im.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * User accounts and resume tokens. Asynchronous and ordered as described in {@link Storage}.
 */
public interface UserStore {

    CompletionStage<Optional<UserAccount>> findByName(String userName);

    CompletionStage<Optional<UserAccount>> findById(String userId);

    /** The accounts among {@code userIds} that exist, keyed by user id. */
    CompletionStage<Map<String, UserAccount>> findByIds(Collection<String> userIds);

    /** The accounts among {@code userNames} that exist, keyed by user name. */
    CompletionStage<Map<String, UserAccount>> findByNames(Collection<String> userNames);

    /**
     * Registers a new account with a fresh, stable, unique userId (10 characters of {@code [0-9A-Za-z]}, never
     * reused). Completes exceptionally with {@link UserExistsException} if the name is taken (races included: of two
     * concurrent registrations of one name exactly one succeeds).
     */
    CompletionStage<UserAccount> register(String userName, PasswordHash password);

    /**
     * Replaces the user's password hash, e.g. with a stronger one at a successful login after the configured cost
     * rose. Completes with the updated account; empty if there is no such user.
     */
    CompletionStage<Optional<UserAccount>> updatePassword(String userId, PasswordHash password);

    /** Resume tokens kept per account; saving one more drops the one that expires first. */
    int MAX_TOKENS_PER_USER = 32;

    /**
     * Stores a resume token for {@code userId}, replacing any token with the same hash, and keeps at most
     * {@link #MAX_TOKENS_PER_USER} per user (the ones expiring first go). Only the hash is stored; the array is
     * copied. Expired tokens are eventually removed.
     */
    CompletionStage<Void> saveToken(String userId, byte[] tokenHash, long expiresAtMillis);

    /** The user id for a token hash; empty if unknown or expired ({@code nowMillis >= expiresAtMillis}). */
    CompletionStage<Optional<String>> userIdForToken(byte[] tokenHash, long nowMillis);

    /**
     * Spends a token: the user id of an unexpired token, which is deleted in the same step, so that of two logins
     * racing with one token exactly one gets it. Empty if unknown or expired.
     */
    CompletionStage<Optional<String>> consumeToken(byte[] tokenHash, long nowMillis);

    /** Forgets every resume token of the user ("log out everywhere"); completes with how many there were. */
    CompletionStage<Integer> revokeTokens(String userId);

    /** Forgets a resume token (logout, or a token exchanged for a new one); unknown tokens are ignored. */
    CompletionStage<Void> revokeToken(byte[] tokenHash);

    /**
     * Whether the user chose to hide their presence (to appear offline to everyone else); false until they choose,
     * and for ids the store does not know.
     */
    CompletionStage<Boolean> presenceHidden(String userId);

    /**
     * Records the user's choice to hide ({@code true}) or show their presence; it lasts until changed, across
     * restarts. Idempotent. Like group membership, the id is not checked against registered users.
     */
    CompletionStage<Void> setPresenceHidden(String userId, boolean hidden);
}
