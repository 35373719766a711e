package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry's keys on a real Redis. A node's death is its liveness key going, as its expiry would do. */
class DeviceDirectoryTest extends OnEmptyRedis {

    private static DeviceDirectory node(String id, String epoch) {
        DeviceDirectory node = new DeviceDirectory(connection.async(), id, epoch, 10_000);
        await(node.heartbeat());
        return node;
    }

    private static Set<String> live(DeviceDirectory any) {
        return await(any.incarnations()).live();
    }

    private static Set<String> dead(DeviceDirectory any) {
        return await(any.incarnations()).dead();
    }

    @Test
    void eachNodeSeesTheOtherLiveNodesHoldingItsRecipientsNotItself() {
        DeviceDirectory a = node("a", "1");
        DeviceDirectory b = node("b", "1");
        await(a.hold(List.of("alice", "carol")));
        await(b.hold(List.of("bob", "carol")));
        assertThat(live(a)).containsExactlyInAnyOrder("a/1", "b/1");

        Map<String, List<String>> fromA = await(a.otherNodesHolding(List.of("alice", "bob", "carol", "dave"),
                dead(a)));
        assertThat(fromA).containsOnlyKeys("b");
        assertThat(fromA.get("b")).containsExactlyInAnyOrder("bob", "carol");
        Map<String, List<String>> fromB = await(b.otherNodesHolding(List.of("alice", "carol"), dead(b)));
        assertThat(fromB).containsOnlyKeys("a");
        assertThat(fromB.get("a")).containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void aReleasedUserIsNoLongerHeld() {
        DeviceDirectory a = node("a", "1");
        DeviceDirectory b = node("b", "1");
        await(a.hold(List.of("alice")));
        await(a.release("alice"));
        assertThat(await(b.otherNodesHolding(List.of("alice"), dead(b)))).isEmpty();
    }

    @Test
    void theEntriesOfADeadNodeAreIgnoredAndCleanedUp() {
        DeviceDirectory killed = node("killed", "1");
        DeviceDirectory b = node("b", "1");
        await(killed.hold(List.of("alice")));
        connection.sync().del(DeviceDirectory.nodeKey("killed")); // its TTL ran out: nobody refreshed it

        DeviceDirectory.Incarnations seen = await(b.incarnations());
        assertThat(seen.live()).containsExactly("b/1");
        assertThat(seen.dead()).containsExactly("killed/1");
        assertThat(connection.sync().smembers(DeviceDirectory.NODES)).as("forgotten").containsExactly("b/1");
        assertThat(await(b.otherNodesHolding(List.of("alice"), seen.dead()))).isEmpty();
        assertThat(connection.sync().smembers(DeviceDirectory.devicesKey("alice"))).as("cleaned when met").isEmpty();
    }

    @Test
    void aRestartedNodeIsANewIncarnationAndItsOldEntriesCountForNothing() {
        DeviceDirectory before = node("a", "old");
        await(before.hold(List.of("alice", "bob")));
        DeviceDirectory after = node("a", "new"); // same node id, started again: its key now holds the new epoch
        await(after.hold(List.of("bob")));
        DeviceDirectory b = node("b", "1");

        DeviceDirectory.Incarnations seen = await(b.incarnations());
        assertThat(seen.live()).containsExactlyInAnyOrder("a/new", "b/1");
        assertThat(seen.dead()).containsExactly("a/old");
        Map<String, List<String>> holders = await(b.otherNodesHolding(List.of("alice", "bob"), seen.dead()));
        assertThat(holders).isEqualTo(Map.of("a", List.of("bob")));
    }

    @Test
    void anEarlierLifeOfThisVeryNodeIsNeverAnotherNodeEvenBeforeAHeartbeatFindsItDead() {
        DeviceDirectory before = node("a", "old");
        await(before.hold(List.of("alice")));
        DeviceDirectory after = node("a", "new");
        await(after.hold(List.of("alice")));
        // Its channel is this node's: a close request sent to it would close this node's own connections (found
        // by the cluster model test, where a token re-spent on its own connection closed that connection).
        assertThat(await(after.otherNodesHolding(List.of("alice"), Set.of()))).isEmpty();
        assertThat(connection.sync().smembers(DeviceDirectory.devicesKey("alice"))).containsExactly("a/new");
    }

    @Test
    void aNodeTooNewForTheLastHeartbeatIsNotifiedAnyway() {
        DeviceDirectory b = node("b", "1");
        Set<String> deadBefore = dead(b); // b's view, from before c started
        DeviceDirectory c = node("c", "1");
        await(c.hold(List.of("carol")));
        assertThat(await(b.otherNodesHolding(List.of("carol"), deadBefore))).isEqualTo(Map.of("c", List.of("carol")));
        assertThat(connection.sync().smembers(DeviceDirectory.devicesKey("carol"))).containsExactly("c/1");
    }

    @Test
    void aHeartbeatSaysWhetherTheNodeWasStillKnown() {
        DeviceDirectory a = new DeviceDirectory(connection.async(), "a", "1", 10_000);
        assertThat(await(a.heartbeat())).as("first").isFalse();
        assertThat(await(a.heartbeat())).as("refresh").isTrue();
        assertThat(connection.sync().pttl(DeviceDirectory.nodeKey("a"))).isBetween(1L, 10_000L);
        connection.sync().flushall(); // Redis restarted empty
        assertThat(await(a.heartbeat())).as("after Redis lost everything").isFalse();
    }

    @Test
    void leavingRemovesEverything() {
        DeviceDirectory a = node("a", "1");
        DeviceDirectory x = node("x", "1");
        await(a.hold(List.of("alice", "bob")));
        await(a.leave(List.of("alice", "bob")));
        assertThat(await(x.otherNodesHolding(List.of("alice", "bob"), dead(x)))).isEmpty();
        assertThat(connection.sync().exists(DeviceDirectory.nodeKey("a"))).isZero();
        assertThat(live(x)).containsExactly("x/1");
    }
}
