package dev.switchboard.im.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.NewMessage;
import dev.switchboard.im.store.memory.MemoryStorage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PresenceAudienceTest {

    private final MemoryStorage storage = new MemoryStorage();
    private final GroupStore groups = storage.groups();
    private final PresenceAudience audience = new PresenceAudience(groups, storage.messages());

    private Set<String> of(String userId) {
        return audience.of(userId).toCompletableFuture().join();
    }

    @Test
    void theCoMembersOfEveryGroupOfTheUserWithoutTheUser() {
        groups.create("alice", List.of("bob", "carol"));
        groups.create("dave", List.of("alice", "bob"));
        groups.create("erin", List.of("frank"));

        assertThat(of("alice")).containsExactlyInAnyOrder("bob", "carol", "dave");
        assertThat(of("frank")).containsExactly("erin");
        assertThat(of("nobody")).isEmpty();
    }

    @Test
    void theUsersOfTheUsersDirectConversationsCountBothWays() {
        storage.messages().append(NewMessage.direct("alice", "alice", null, "bob", "hi", 1));
        groups.create("alice", List.of("carol"));

        assertThat(of("alice")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(of("bob")).as("the recipient shares the conversation too").containsExactly("alice");
    }

    @Test
    void aGroupLeftNoLongerCounts() {
        String groupId = groups.create("alice", List.of("bob")).toCompletableFuture().join().groupId();
        groups.quit(groupId, "bob");
        assertThat(of("alice")).isEmpty();
        assertThat(of("bob")).isEmpty();
    }

    @Test
    void onlyTheFirstGroupsJoinedAreRead() {
        for (int i = 0; i < PresenceAudience.MAX_GROUPS + 5; i++) {
            groups.create("alice", List.of("friend" + i));
        }
        assertThat(of("alice")).hasSize(PresenceAudience.MAX_GROUPS).contains("friend0")
                .doesNotContain("friend" + PresenceAudience.MAX_GROUPS);
    }
}
