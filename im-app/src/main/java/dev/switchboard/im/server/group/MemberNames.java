package dev.switchboard.im.server.group;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * User names by user id for member lists, from a bounded cache in front of the store. Names never change and
 * accounts are never deleted, so an entry is never stale; the bound is only on memory. A member list of N users
 * costs N cache lookups and, for the ids not cached, one store read; asked again, no store read at all.
 * Thread-safe.
 */
@Singleton
public final class MemberNames {

    /** Names kept: at about 100 bytes each, 10 MB; a few thousand groups' worth of members. */
    static final int MAX_ENTRIES = 100_000;

    private final UserStore users;
    private final Cache<String, String> names = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    @Inject
    public MemberNames(UserStore users) {
        this.users = users;
    }

    /** Names of these users; an id the store does not know is missing from the map. */
    public CompletionStage<Map<String, String>> of(Collection<String> userIds) {
        Map<String, String> found = new HashMap<>(names.getAllPresent(userIds));
        if (found.size() == userIds.size()) {
            return CompletableFuture.completedFuture(found);
        }
        List<String> missing = new ArrayList<>();
        for (String id : userIds) {
            if (!found.containsKey(id)) {
                missing.add(id);
            }
        }
        return users.findByIds(missing).thenApply(accounts -> {
            accounts.values().forEach(this::remember);
            accounts.forEach((id, account) -> found.put(id, account.userName()));
            return found;
        });
    }

    /** Notes an account read elsewhere (a login, a group's creation), so that lists of its groups need no read. */
    public void remember(UserAccount account) {
        names.put(account.userId(), account.userName());
    }

    /** Names cached now, for tests and statistics. */
    long cached() {
        names.cleanUp();
        return names.estimatedSize();
    }
}
