package dev.switchboard.im.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link PresenceTracker} against a plain reference model, on fake time: random logins, logouts, hide and show
 * choices, store answers arriving late (in order, as the stores answer) and time advances, from a seed that
 * replays. Every announcement is checked when made (the audience is fixed, so an observer sees exactly these):
 * <ul>
 *   <li>never two identical consecutive announcements about a user;</li>
 *   <li>ONLINE only while the user is logged in and not hiding;</li>
 *   <li>OFFLINE only while the user hides, or after no device was logged in for the whole settle delay;</li>
 * </ul>
 * and once every store answer arrived and the settle delay passed, each user's last announcement (none: offline)
 * and {@code appearsOnline} agree with the model.
 */
class PresenceTrackerModelTest {

    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final int USERS = 4;
    private static final int STEPS = 400;

    /** The truth about one user, as the model sees it. */
    private static final class Truth {
        int devices;
        boolean hidden; // as stored
        long zeroSince = Long.MIN_VALUE; // when the last device left (while devices == 0)
        Boolean lastAnnounced; // null: never
    }

    /** A read of the stored choice, answered later with the value it saw when issued. */
    private record PendingRead(String user, long token, boolean value) {}

    static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>(List.of(1L, 2L, 3L, 42L, 20261202L));
        long extra = Long.getLong("presence.seed", 0L);
        if (extra != 0) {
            seeds = List.of(extra);
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithTheModel(long seed) {
        Random random = new Random(seed);
        FakeTime time = new FakeTime();
        Map<String, Truth> truth = new HashMap<>();
        List<String> log = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        PresenceTracker tracker = new PresenceTracker(SETTLE, time, (userId, userName, online, at) -> {
            Truth t = truth.get(userId);
            log.add("  announce " + userId + (online ? " ONLINE" : " OFFLINE") + " at " + at);
            if (Boolean.valueOf(online).equals(t.lastAnnounced)) {
                violations.add("repeated " + online + " for " + userId + " at " + at);
            }
            if (online && (t.devices == 0 || t.hidden)) {
                violations.add("ONLINE for " + userId + " with " + t.devices + " devices, hidden " + t.hidden);
            }
            if (!online && !t.hidden && (t.devices > 0 || at - t.zeroSince < SETTLE.toMillis())) {
                violations.add("OFFLINE for " + userId + " at " + at + " with " + t.devices
                        + " devices, last left at " + t.zeroSince);
            }
            t.lastAnnounced = online;
        });
        ArrayDeque<PendingRead> reads = new ArrayDeque<>();
        for (int i = 0; i < USERS; i++) {
            truth.put("u" + i, new Truth());
        }
        for (int step = 0; step < STEPS; step++) {
            String user = "u" + random.nextInt(USERS);
            Truth t = truth.get(user);
            int op = random.nextInt(10);
            if (op < 3) {
                log.add(step + " up " + user);
                t.devices++;
                long token = tracker.deviceUp(user, user);
                if (token != PresenceTracker.NO_LOAD) {
                    reads.add(new PendingRead(user, token, t.hidden));
                }
            } else if (op < 5 && t.devices > 0) {
                log.add(step + " down " + user);
                t.devices--;
                if (t.devices == 0) {
                    t.zeroSince = time.millis();
                }
                tracker.deviceDown(user, time);
            } else if (op == 5) {
                boolean hidden = random.nextBoolean();
                log.add(step + (hidden ? " hide " : " show ") + user);
                t.hidden = hidden; // stored first, then applied, as PresenceService does
                tracker.setHidden(user, hidden);
            } else if (op < 8 && !reads.isEmpty()) {
                PendingRead read = reads.poll();
                log.add(step + " store answers " + read);
                tracker.loaded(read.user(), read.token(), read.value());
            } else {
                Duration by = Duration.ofMillis(random.nextInt(8_000));
                log.add(step + " advance " + by.toMillis() + " ms");
                time.advance(by);
            }
        }
        while (!reads.isEmpty()) {
            PendingRead read = reads.poll();
            tracker.loaded(read.user(), read.token(), read.value());
        }
        time.advance(SETTLE.multipliedBy(2));
        for (Map.Entry<String, Truth> entry : truth.entrySet()) {
            Truth t = entry.getValue();
            boolean expected = t.devices > 0 && !t.hidden;
            if (Boolean.TRUE.equals(t.lastAnnounced) != expected) {
                violations.add("settled: " + entry.getKey() + " last announced " + t.lastAnnounced
                        + ", expected online " + expected);
            }
            if (tracker.appearsOnline(entry.getKey()) != expected) {
                violations.add("settled: appearsOnline(" + entry.getKey() + ") != " + expected);
            }
        }
        assertThat(violations).as("seed %d (replay with -Dpresence.seed=%d); steps:%n%s", seed, seed,
                String.join("\n", log)).isEmpty();
        assertThat(time.pending()).as("no timer left behind").isZero();
    }
}
