package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counts the nodes share, on a real Redis. A node's death is its liveness key going, as its expiry would do. */
class SharedLimitsTest {

    private static TestRedis redis;
    private static TestRedis.Connection own;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
        own = redis.connect();
        connection = own.redis();
    }

    @AfterAll
    static void stopRedis() {
        own.close();
        redis.close();
    }

    @BeforeEach
    void empty() {
        connection.sync().flushall();
    }

    /** A live incarnation {@code id/epoch}: its liveness key set as its heartbeat sets it. */
    private static SharedLimits node(String id, String epoch) {
        await(new DeviceDirectory(connection.async(), id, epoch, 10_000).heartbeat());
        return new SharedLimits(connection.async(), id + "/" + epoch);
    }

    private static <T> T await(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void eachNodeCountsTheOthersDevicesNotItsOwn() {
        SharedLimits a = node("a", "1");
        SharedLimits b = node("b", "1");
        SharedLimits c = node("c", "1");
        await(a.deviceCount("alice", 2));
        await(b.deviceCount("alice", 1));

        assertThat(await(a.devicesElsewhere("alice"))).isEqualTo(1);
        assertThat(await(b.devicesElsewhere("alice"))).isEqualTo(2);
        assertThat(await(c.devicesElsewhere("alice"))).isEqualTo(3);
        assertThat(await(c.devicesElsewhere("bob"))).isZero();
    }

    @Test
    void aCountIsAbsoluteAndZeroRemovesTheField() {
        SharedLimits a = node("a", "1");
        SharedLimits b = node("b", "1");
        await(a.deviceCount("alice", 3));
        await(a.deviceCount("alice", 1)); // a late write of an older count would be corrected the same way
        assertThat(await(b.devicesElsewhere("alice"))).isEqualTo(1);

        await(a.deviceCount("alice", 0));
        assertThat(await(b.devicesElsewhere("alice"))).isZero();
        assertThat(connection.sync().exists(SharedLimits.deviceCountKey("alice"))).isZero();
    }

    @Test
    void aDeadNodesDevicesStopCountingAndTheirFieldGoes() {
        SharedLimits a = node("a", "1");
        SharedLimits b = node("b", "1");
        await(a.deviceCount("alice", 2));
        connection.sync().del(DeviceDirectory.nodeKey("a")); // its key expired: killed

        assertThat(await(b.devicesElsewhere("alice"))).isZero();
        assertThat(connection.sync().hkeys(SharedLimits.deviceCountKey("alice"))).isEmpty();
    }

    @Test
    void aRestartedNodeDoesNotCountItsEarlierLife() {
        SharedLimits before = node("a", "1");
        await(before.deviceCount("alice", 2));
        SharedLimits after = node("a", "2"); // SIGKILLed and started again before the old key expired
        SharedLimits b = node("b", "1");

        assertThat(await(after.devicesElsewhere("alice"))).isZero();
        assertThat(await(b.devicesElsewhere("alice"))).as("the old life's key now holds the new epoch").isZero();
    }

    @Test
    void anIntervalIsClaimedOnceAcrossNodes() {
        SharedLimits a = node("a", "1");
        SharedLimits b = node("b", "1");
        assertThat(await(a.claim("typing:u1/u:u2", Duration.ofSeconds(30)))).isTrue();
        assertThat(await(b.claim("typing:u1/u:u2", Duration.ofSeconds(30)))).isFalse();
        assertThat(await(a.claim("typing:u1/u:u2", Duration.ofSeconds(30)))).isFalse();
        assertThat(await(b.claim("typing:u1/g:g1", Duration.ofSeconds(30)))).as("another conversation").isTrue();
        assertThat(connection.sync().pttl(SharedLimits.claimKey("typing:u1/u:u2"))).isBetween(1L, 30_000L);
    }

    @Test
    void aCleanStopClearsItsCounts() {
        SharedLimits a = node("a", "1");
        SharedLimits b = node("b", "1");
        await(a.deviceCount("alice", 1));
        await(a.deviceCount("bob", 2));
        await(a.clearDeviceCounts(List.of("alice", "bob")));
        assertThat(await(b.devicesElsewhere("alice"))).isZero();
        assertThat(await(b.devicesElsewhere("bob"))).isZero();
    }
}
