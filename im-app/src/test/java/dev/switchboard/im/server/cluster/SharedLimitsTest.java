package dev.switchboard.im.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.im.server.auth.LoginThrottle;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counts the nodes share, on a real Redis. A node's death is its liveness key going, as its expiry would do. */
class SharedLimitsTest extends OnEmptyRedis {

    /** A live incarnation {@code id/epoch}: its liveness key set as its heartbeat sets it. */
    private static SharedLimits node(String id, String epoch) {
        await(new DeviceDirectory(connection.async(), id, epoch, 10_000).heartbeat());
        return new SharedLimits(connection.async(), id + "/" + epoch);
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

    @Test
    void aSourcesFailedLoginsOnAllNodesLockItAfterItsFreeOnes() {
        SharedLimits a = node("a", "1");
        SharedLimits b = node("b", "1");
        for (int failure = 1; failure <= LoginThrottle.FREE_PER_SOURCE; failure++) {
            assertThat(await(a.loginLocked("10.0.0.1", "alice"))).as("before failure %d", failure).isZero();
            await((failure % 2 == 0 ? a : b).loginFailed("10.0.0.1", "alice"));
        }
        assertThat(await(a.loginLocked("10.0.0.1", "bob"))).as("the source waits, whatever the account")
                .isBetween(1L, LoginThrottle.BASE_LOCK_MS);
        assertThat(await(b.loginLocked("10.0.0.2", "bob"))).as("another source, another account").isZero();
        await(a.loginFailed("10.0.0.1", "alice"));
        assertThat(await(b.loginLocked("10.0.0.1", null))).as("doubled")
                .isBetween(LoginThrottle.BASE_LOCK_MS + 1, 2 * LoginThrottle.BASE_LOCK_MS);
    }

    @Test
    void anAccountGuessedFromManySourcesIsLockedAndASuccessClearsIt() {
        SharedLimits a = node("a", "1");
        for (int failure = 0; failure < LoginThrottle.FREE_PER_ACCOUNT; failure++) {
            await(a.loginFailed("10.1.0." + failure, "alice")); // one guess per source: no source is locked
        }
        assertThat(await(a.loginLocked("10.9.9.9", "alice"))).as("the account is locked")
                .isBetween(1L, LoginThrottle.ACCOUNT_LOCK.toMillis());
        assertThat(await(a.loginLocked("10.9.9.9", null))).as("a token login does not ask about the account")
                .isZero();
        assertThat(connection.sync().exists(SharedLimits.sourceKey("10.9.9.9"))).as("checking counts nothing")
                .isZero();
        await(a.loginSucceeded("alice"));
        assertThat(await(a.loginLocked("10.9.9.9", "alice"))).isZero();
        assertThat(connection.sync().pttl(SharedLimits.sourceKey("10.1.0.0")))
                .as("a source's failures are forgotten after an hour").isBetween(1L, LoginThrottle.FORGET.toMillis());
    }
}
