package dev.switchboard.im.store.memory;

import dev.switchboard.im.store.IdGenerator;
import dev.switchboard.im.store.PasswordHash;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserExistsException;
import dev.switchboard.im.store.UserStore;
import static java.util.Objects.requireNonNull;
import static java.util.concurrent.CompletableFuture.completedFuture;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link UserStore} of {@link MemoryStorage}; all state guarded by {@code this}. */
final class MemoryUserStore implements UserStore {

    /** Expired tokens are swept after this many saves, so the token map stays bounded without a timer. */
    private static final int TOKEN_SWEEP_EVERY = 1024;

    private record Token(String userId, long expiresAtMillis) {
    }

    private final IdGenerator ids = new IdGenerator();
    private final Map<String, UserAccount> byId = new HashMap<>();
    private final Map<String, UserAccount> byName = new HashMap<>();
    private final Map<ByteBuffer, Token> tokens = new HashMap<>();
    private final Map<String, ArrayDeque<ByteBuffer>> tokensOf = new HashMap<>(); // per user, oldest first
    private final Set<String> presenceHidden = new HashSet<>(); // one id per user who chose it: bounded by accounts
    private int savesSinceSweep;

    @Override
    public synchronized CompletionStage<Optional<UserAccount>> findByName(String userName) {
        requireNonNull(userName, "userName");
        return completedFuture(Optional.ofNullable(byName.get(userName)));
    }

    @Override
    public synchronized CompletionStage<Optional<UserAccount>> findById(String userId) {
        requireNonNull(userId, "userId");
        return completedFuture(Optional.ofNullable(byId.get(userId)));
    }

    @Override
    public synchronized CompletionStage<Map<String, UserAccount>> findByIds(Collection<String> userIds) {
        return completedFuture(lookUp(userIds, byId));
    }

    @Override
    public synchronized CompletionStage<Map<String, UserAccount>> findByNames(Collection<String> userNames) {
        return completedFuture(lookUp(userNames, byName));
    }

    private static Map<String, UserAccount> lookUp(Collection<String> keys, Map<String, UserAccount> index) {
        Map<String, UserAccount> found = new HashMap<>();
        for (String key : keys) {
            UserAccount account = index.get(requireNonNull(key, "user id or name in collection"));
            if (account != null) {
                found.put(key, account);
            }
        }
        return found;
    }

    @Override
    public synchronized CompletionStage<UserAccount> register(String userName, PasswordHash password) {
        requireNonNull(userName, "userName");
        requireNonNull(password, "password");
        if (byName.containsKey(userName)) {
            return CompletableFuture.failedFuture(new UserExistsException(userName));
        }
        String userId;
        do {
            userId = ids.next();
        } while (byId.containsKey(userId)); // users are never deleted, so byId holds every id ever issued
        UserAccount account = new UserAccount(userId, userName, password);
        byId.put(userId, account);
        byName.put(userName, account);
        return completedFuture(account);
    }

    @Override
    public synchronized CompletionStage<Optional<UserAccount>> updatePassword(String userId, PasswordHash password) {
        requireNonNull(userId, "userId");
        requireNonNull(password, "password");
        UserAccount old = byId.get(userId);
        if (old == null) {
            return completedFuture(Optional.empty());
        }
        UserAccount updated = new UserAccount(userId, old.userName(), password);
        byId.put(userId, updated);
        byName.put(updated.userName(), updated);
        return completedFuture(Optional.of(updated));
    }

    @Override
    public synchronized CompletionStage<Void> saveToken(String userId, byte[] tokenHash, long expiresAtMillis) {
        requireNonNull(userId, "userId");
        requireNonNull(tokenHash, "tokenHash");
        if (++savesSinceSweep >= TOKEN_SWEEP_EVERY) {
            savesSinceSweep = 0;
            sweepExpired(System.currentTimeMillis());
        }
        ByteBuffer key = ByteBuffer.wrap(tokenHash.clone());
        Token replaced = tokens.put(key, new Token(userId, expiresAtMillis));
        if (replaced != null) {
            forget(replaced.userId(), key);
        }
        ArrayDeque<ByteBuffer> own = tokensOf.computeIfAbsent(userId, id -> new ArrayDeque<>());
        own.add(key); // lifetimes are all the same, so the oldest saved expires first
        while (own.size() > MAX_TOKENS_PER_USER) {
            tokens.remove(own.poll());
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> revokeToken(byte[] tokenHash) {
        requireNonNull(tokenHash, "tokenHash");
        ByteBuffer key = ByteBuffer.wrap(tokenHash);
        Token removed = tokens.remove(key);
        if (removed != null) {
            forget(removed.userId(), key);
        }
        return completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Optional<String>> userIdForToken(byte[] tokenHash, long nowMillis) {
        requireNonNull(tokenHash, "tokenHash");
        ByteBuffer key = ByteBuffer.wrap(tokenHash);
        Token token = tokens.get(key);
        if (token == null) {
            return completedFuture(Optional.empty());
        }
        if (nowMillis >= token.expiresAtMillis()) {
            tokens.remove(key);
            return completedFuture(Optional.empty());
        }
        return completedFuture(Optional.of(token.userId()));
    }

    @Override
    public synchronized CompletionStage<Optional<String>> consumeToken(byte[] tokenHash, long nowMillis) {
        requireNonNull(tokenHash, "tokenHash");
        ByteBuffer key = ByteBuffer.wrap(tokenHash);
        Token token = tokens.remove(key);
        if (token != null) {
            forget(token.userId(), key);
        }
        boolean valid = token != null && nowMillis < token.expiresAtMillis();
        return completedFuture(valid ? Optional.of(token.userId()) : Optional.empty());
    }

    @Override
    public synchronized CompletionStage<Integer> revokeTokens(String userId) {
        requireNonNull(userId, "userId");
        ArrayDeque<ByteBuffer> own = tokensOf.remove(userId);
        if (own == null) {
            return completedFuture(0);
        }
        own.forEach(tokens::remove);
        return completedFuture(own.size());
    }

    @Override
    public synchronized CompletionStage<Boolean> presenceHidden(String userId) {
        requireNonNull(userId, "userId");
        return completedFuture(presenceHidden.contains(userId));
    }

    @Override
    public synchronized CompletionStage<Void> setPresenceHidden(String userId, boolean hidden) {
        requireNonNull(userId, "userId");
        if (hidden) {
            presenceHidden.add(userId);
        } else {
            presenceHidden.remove(userId);
        }
        return completedFuture(null);
    }

    private void forget(String userId, ByteBuffer key) {
        ArrayDeque<ByteBuffer> own = tokensOf.get(userId);
        if (own != null && own.remove(key) && own.isEmpty()) {
            tokensOf.remove(userId);
        }
    }

    private void sweepExpired(long nowMillis) {
        for (Iterator<Map.Entry<ByteBuffer, Token>> it = tokens.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<ByteBuffer, Token> entry = it.next();
            if (nowMillis >= entry.getValue().expiresAtMillis()) {
                it.remove();
                forget(entry.getValue().userId(), entry.getKey());
            }
        }
    }
}
