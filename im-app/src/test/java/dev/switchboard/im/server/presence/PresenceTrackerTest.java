package dev.switchboard.im.server.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coalescing rules of {@link PresenceTracker}, on fake time. */
class PresenceTrackerTest {

    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final FakeTime time = new FakeTime();
    private final List<String> announced = new ArrayList<>();
    private final PresenceTracker tracker = new PresenceTracker(SETTLE, time,
            (userId, userName, online, at) -> announced.add(userName + (online ? " online@" : " offline@") + at));

    private void up(String user) {
        long load = tracker.deviceUp(user, user);
        if (load != PresenceTracker.NO_LOAD) {
            tracker.loaded(user, load, false);
        }
    }

    private long at(long secondsAfterStart) {
        return 1_000_000 + secondsAfterStart * 1000;
    }

    @Test
    void theFirstDeviceAnnouncesOnlineOnceAndFurtherDevicesNothing() {
        up("alice");
        up("alice");
        up("alice");
        assertThat(announced).containsExactly("alice online@" + at(0));
        assertThat(tracker.appearsOnline("alice")).isTrue();
    }

    @Test
    void offlineIsAnnouncedOnlyAfterTheSettleDelay() {
        up("alice");
        tracker.deviceDown("alice", time);
        time.advance(SETTLE.minusMillis(1));
        assertThat(announced).containsExactly("alice online@" + at(0));
        assertThat(tracker.appearsOnline("alice")).as("within the settle delay").isTrue();

        time.advance(Duration.ofMillis(1));
        assertThat(announced).containsExactly("alice online@" + at(0), "alice offline@" + at(5));
        assertThat(tracker.appearsOnline("alice")).isFalse();
        assertThat(tracker.tracked()).as("nothing kept for a user gone").isZero();
    }

    @Test
    void aReconnectWithinTheSettleDelayAnnouncesNothing() {
        up("alice");
        tracker.deviceDown("alice", time);
        time.advance(Duration.ofSeconds(3));
        up("alice");
        time.advance(Duration.ofMinutes(1));
        assertThat(announced).containsExactly("alice online@" + at(0));
        assertThat(time.pending()).isZero();
    }

    @Test
    void onlyTheLastDeviceToLeaveStartsTheSettleDelay() {
        up("alice");
        up("alice");
        tracker.deviceDown("alice", time);
        time.advance(Duration.ofMinutes(1));
        assertThat(announced).containsExactly("alice online@" + at(0));
        tracker.deviceDown("alice", time);
        time.advance(SETTLE);
        assertThat(announced).containsExactly("alice online@" + at(0), "alice offline@" + at(65));
    }

    @Test
    void aTimerOfAnEarlierLogoutDoesNotEndALaterSession() {
        up("alice");
        tracker.deviceDown("alice", time); // timer A due at 5 s
        time.advance(Duration.ofSeconds(1));
        up("alice"); // cancels A
        tracker.deviceDown("alice", time); // timer B due at 6 s
        time.advance(Duration.ofSeconds(4)); // 5 s: A would fire here
        assertThat(announced).containsExactly("alice online@" + at(0));
        time.advance(Duration.ofSeconds(1));
        assertThat(announced).containsExactly("alice online@" + at(0), "alice offline@" + at(6));
    }

    @Test
    void hidingAnnouncesOfflineAtOnceAndShowingOnlineAgain() {
        up("alice");
        tracker.setHidden("alice", true);
        assertThat(tracker.appearsOnline("alice")).isFalse();
        tracker.deviceDown("alice", time);
        long load = tracker.deviceUp("alice", "alice");
        assertThat(load).as("forgotten once offline: the store is asked").isNotEqualTo(PresenceTracker.NO_LOAD);
        tracker.loaded("alice", load, true); // what the store holds now
        time.advance(SETTLE);
        tracker.setHidden("alice", false);
        assertThat(announced).containsExactly("alice online@" + at(0), "alice offline@" + at(0),
                "alice online@" + at(5));
    }

    @Test
    void aHiddenUserIsNeverAnnouncedNotEvenWhileTheStoreIsAsked() {
        long load = tracker.deviceUp("bob", "bob");
        assertThat(load).as("the store must be asked").isNotEqualTo(PresenceTracker.NO_LOAD);
        assertThat(tracker.appearsOnline("bob")).isFalse();
        tracker.loaded("bob", load, true);
        assertThat(tracker.deviceUp("bob", "bob")).as("known now").isEqualTo(PresenceTracker.NO_LOAD);
        tracker.deviceDown("bob", time);
        tracker.deviceDown("bob", time);
        time.advance(SETTLE);
        assertThat(announced).isEmpty();
        assertThat(tracker.tracked()).isZero();
    }

    @Test
    void aChoiceMadeWhileTheStoreIsAskedWinsOverTheStoredOne() {
        long load = tracker.deviceUp("bob", "bob");
        tracker.setHidden("bob", false);
        tracker.loaded("bob", load, true); // read before the new choice was stored
        assertThat(announced).containsExactly("bob online@" + at(0));
    }

    @Test
    void aLateReadOfAnEarlierStayOnlineIsIgnored() {
        long first = tracker.deviceUp("bob", "bob");
        tracker.deviceDown("bob", time); // never announced: forgotten at once
        tracker.setHidden("bob", true); // offline: only stored
        long second = tracker.deviceUp("bob", "bob");
        tracker.loaded("bob", first, false); // the first read, from before the choice
        tracker.loaded("bob", second, true);
        assertThat(announced).isEmpty();
    }

    @Test
    void aFailedReadKeepsTheUserHidden() {
        tracker.loadFailed("bob", tracker.deviceUp("bob", "bob"));
        assertThat(announced).isEmpty();
        assertThat(tracker.appearsOnline("bob")).isFalse();
    }

    @Test
    void aZeroSettleDelayAnnouncesOfflineAtOnce() {
        PresenceTracker now = new PresenceTracker(Duration.ZERO, time,
                (userId, userName, online, at) -> announced.add(userName + (online ? " online" : " offline")));
        now.loaded("carol", now.deviceUp("carol", "carol"), false);
        now.deviceDown("carol", time);
        assertThat(announced).containsExactly("carol online", "carol offline");
        assertThat(time.pending()).isZero();
    }

    @Test
    void logoutsWithoutLoginsAndChoicesOfUsersOfflineChangeNothing() {
        tracker.deviceDown("ghost", time);
        tracker.setHidden("ghost", false);
        tracker.loaded("ghost", 1, false);
        assertThat(announced).isEmpty();
        assertThat(tracker.tracked()).isZero();
    }

    @Test
    void aNegativeSettleDelayIsRefused() {
        assertThatThrownBy(() -> new PresenceTracker(Duration.ofSeconds(-1), time, (a, b, c, d) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
