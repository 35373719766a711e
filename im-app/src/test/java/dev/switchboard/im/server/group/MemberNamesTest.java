package dev.switchboard.im.server.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.memory.MemoryStorage;
import dev.switchboard.im.store.PasswordHash;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The member-name cache in front of a real (memory) user store, counting the store reads it lets through. */
class MemberNamesTest {

    private static final PasswordHash PASSWORD = new PasswordHash("salt".getBytes(StandardCharsets.UTF_8),
            "hash".getBytes(StandardCharsets.UTF_8), 1_000);

    private final UserStore store = new MemoryStorage().users();
    private final List<Collection<String>> reads = new ArrayList<>();
    private final MemberNames names = new MemberNames(countingFindByIds(store, reads));

    private UserAccount register(String name) throws Exception {
        return store.register(name, PASSWORD).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private Map<String, String> names(List<String> ids) throws Exception {
        return names.of(ids).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void readsOnlyWhatIsNotCachedAndNothingTheSecondTime() throws Exception {
        String ann = register("ann").userId();
        String bob = register("bob").userId();
        String cy = register("cy").userId();

        assertThat(names(List.of(ann, bob))).containsEntry(ann, "ann").containsEntry(bob, "bob").hasSize(2);
        assertThat(reads).hasSize(1);
        assertThat(names(List.of(ann, bob))).hasSize(2);
        assertThat(reads).as("a second list is served from the cache").hasSize(1);

        assertThat(names(List.of(ann, bob, cy))).containsEntry(cy, "cy").hasSize(3);
        assertThat(reads).hasSize(2);
        assertThat(reads.get(1)).containsExactly(cy);
    }

    @Test
    void rememberedAccountsNeedNoRead() throws Exception {
        UserAccount ann = register("ann");
        names.remember(ann);
        assertThat(names(List.of(ann.userId()))).containsEntry(ann.userId(), "ann");
        assertThat(reads).isEmpty();
    }

    @Test
    void unknownIdsAreLeftOutAndAskedAgainNextTime() throws Exception {
        assertThat(names(List.of("no-such-id"))).isEmpty();
        assertThat(names(List.of("no-such-id"))).isEmpty();
        assertThat(reads).hasSize(2); // a miss is not cached: the id may be registered later
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i < MemberNames.MAX_ENTRIES + 1_000; i++) {
            names.remember(new UserAccount("u" + i, "n" + i, PASSWORD));
        }
        assertThat(names.cached()).isLessThanOrEqualTo(MemberNames.MAX_ENTRIES);
    }

    /** The real store, with its findByIds calls recorded. */
    private static UserStore countingFindByIds(UserStore real, List<Collection<String>> reads) {
        return (UserStore) Proxy.newProxyInstance(UserStore.class.getClassLoader(), new Class<?>[] {UserStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("findByIds")) {
                        @SuppressWarnings("unchecked")
                        Collection<String> ids = (Collection<String>) args[0];
                        reads.add(List.copyOf(ids));
                    }
                    return method.invoke(real, args);
                });
    }
}
