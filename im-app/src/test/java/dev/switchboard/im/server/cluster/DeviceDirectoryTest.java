package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry's keys on a real Redis, with the nodes' clock faked. */
class DeviceDirectoryTest {

    private static TestRedis redis;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    private final AtomicLong now = new AtomicLong(1_000_000);

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        client = RedisClient.create(redis.uri().toString());
        connection = client.connect();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown();
        redis.close();
    }

    @BeforeEach
    void empty() {
        connection.sync().flushall();
    }

    private DeviceDirectory node(String id) {
        return new DeviceDirectory(connection.async(), id, 10_000, now::get);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void eachNodeSeesTheOtherNodesHoldingItsRecipientsNotItself() {
        DeviceDirectory a = node("a");
        DeviceDirectory b = node("b");
        await(a.hold(List.of("alice", "carol")));
        await(b.hold(List.of("bob", "carol")));
        Map<String, List<String>> fromA = await(a.otherNodesHolding(List.of("alice", "bob", "carol", "dave")));
        assertThat(fromA).containsOnlyKeys("b");
        assertThat(fromA.get("b")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(await(b.otherNodesHolding(List.of("alice", "carol")))).containsOnlyKeys("a");
        assertThat(await(b.otherNodesHolding(List.of("alice", "carol"))).get("a")).containsExactlyInAnyOrder(
                "alice", "carol");
    }

    @Test
    void aReleasedUserIsNoLongerHeld() {
        DeviceDirectory a = node("a");
        await(a.hold(List.of("alice")));
        await(a.release("alice"));
        assertThat(await(node("b").otherNodesHolding(List.of("alice")))).isEmpty();
    }

    @Test
    void entriesOfANodeThatStoppedRefreshingExpireAfterTheTtl() {
        DeviceDirectory killed = node("killed");
        await(killed.hold(List.of("alice")));
        now.addAndGet(9_999);
        assertThat(await(node("b").otherNodesHolding(List.of("alice")))).containsOnlyKeys("killed");
        now.addAndGet(2);
        assertThat(await(node("b").otherNodesHolding(List.of("alice")))).as("past its TTL").isEmpty();
        assertThat(connection.sync().pttl(DeviceDirectory.devicesKey("alice"))).as("the key expires too")
                .isBetween(1L, 10_000L);
    }

    @Test
    void aRefreshExtendsTheEntryAndLeavingRemovesEverything() {
        DeviceDirectory a = node("a");
        await(a.hold(List.of("alice", "bob")));
        await(a.alive("epoch-1"));
        now.addAndGet(8_000);
        await(a.hold(List.of("alice", "bob")));
        now.addAndGet(8_000);
        assertThat(await(node("x").otherNodesHolding(List.of("alice")))).containsOnlyKeys("a");
        assertThat(connection.sync().get(DeviceDirectory.nodeKey("a"))).isEqualTo("epoch-1");
        await(a.leave(List.of("alice", "bob")));
        assertThat(await(node("x").otherNodesHolding(List.of("alice", "bob")))).isEmpty();
        assertThat(connection.sync().exists(DeviceDirectory.nodeKey("a"))).isZero();
    }
}
