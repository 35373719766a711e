package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.store.Group;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommittedGroupsTest {

    private final CommittedGroups groups = new CommittedGroups(100);
    private final Group team = Group.created("g1", "team", List.of("alice", "bob"));

    @Test
    void aGroupIsKnownOnlyOnceTheWriterOfferedIt() {
        assertThat(groups.get("g1")).isNull();
        groups.offer(team);
        assertThat(groups.get("g1")).isEqualTo(team);
    }

    @Test
    void aChangeInFlightHidesTheGroupUntilItIsDoneAndThenItIsForgotten() {
        groups.offer(team);
        groups.changing("g1");
        assertThat(groups.get("g1")).as("being changed: ask the writer").isNull();
        groups.offer(team); // a lookup that ran before the change was queued behind it
        groups.changed("g1");
        assertThat(groups.get("g1")).as("the committed state is not known here after a change").isNull();
        assertThat(groups.changesInFlight()).isZero();
    }

    @Test
    void twoChangesInFlightAreBothWaitedFor() {
        groups.changing("g1");
        groups.changing("g1");
        groups.changed("g1");
        groups.offer(team);
        assertThat(groups.get("g1")).isNull();
        groups.changed("g1");
        assertThat(groups.changesInFlight()).isZero();
        groups.offer(team);
        assertThat(groups.get("g1")).isEqualTo(team);
    }

    @Test
    void theCacheIsBounded() {
        for (int i = 0; i < 1_000; i++) {
            groups.offer(Group.created("g" + i, "n", List.of("alice")));
        }
        assertThat(groups.size()).isLessThanOrEqualTo(100);
    }
}
