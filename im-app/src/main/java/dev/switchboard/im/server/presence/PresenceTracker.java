package dev.switchboard.im.server.presence;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The coalesced presence of every user: the state machine that decides when the people who share a conversation
 * with a user are told that the user came online or went offline.
 *
 * <p>A user <em>appears online</em> while at least one device is logged in and they do not hide their presence.
 * Rules, per user:
 * <ul>
 *   <li>the first device to log in (or showing one's presence while logged in) announces ONLINE at once; further
 *       devices announce nothing;</li>
 *   <li>when the last device logs out, OFFLINE is announced only after the settle delay, and not at all if a
 *       device logs in again within it (a reconnect, a network change): a device flap is never announced;</li>
 *   <li>hiding one's presence announces OFFLINE at once (a deliberate choice needs no settling);</li>
 *   <li>an announcement always differs from the user's previous one: ONLINE and OFFLINE alternate.</li>
 * </ul>
 * Whether a user hides their presence is stored; until the store has answered for a user who just came online
 * ({@link #loaded}), the user is treated as hidden, so a hidden user is never announced, not even briefly.
 *
 * <p>Thread-safe: every method takes the tracker's lock for a few map operations. The {@link Listener} is called
 * under that lock, so that announcements reach it in the order they were decided; it must only hand the work on.
 * Timers are given per logout ({@link Timer}): the server schedules the settle on the event loop of the connection
 * that closed, tests on a fake clock.
 */
public final class PresenceTracker {

    /** Told each announcement; called under the tracker's lock, so it must not block or call back. */
    @FunctionalInterface
    public interface Listener {
        void changed(String userId, String userName, boolean online, long timestampMillis);
    }

    /** Runs a task after a delay; returns what cancels it (cancelling a task that ran does nothing). */
    @FunctionalInterface
    public interface Timer {
        Runnable schedule(Duration delay, Runnable task);
    }

    /** One user's presence; guarded by the tracker's lock. */
    private static final class State {
        final String userName;
        final long loadToken; // tells this entry's read of the stored choice from a late one of an earlier entry
        int devices;
        Boolean hidden; // null until the store has answered
        boolean announcedOnline;
        Runnable cancelSettle; // the pending OFFLINE, or null
        long settleToken; // which pending OFFLINE is current: a timer that fires late for an older one is ignored

        State(String userName, long loadToken) {
            this.userName = userName;
            this.loadToken = loadToken;
        }

        boolean visible() {
            return devices > 0 && Boolean.FALSE.equals(hidden);
        }
    }

    private final Duration settle;
    private final Clock clock;
    private final Listener listener;
    // Bounded by the users online or within their settle delay: an entry goes once nothing is pending for it.
    private final Map<String, State> users = new HashMap<>();
    private long loads;

    public PresenceTracker(Duration settle, Clock clock, Listener listener) {
        Objects.requireNonNull(settle, "settle");
        if (settle.isNegative()) {
            throw new IllegalArgumentException("settle delay < 0: " + settle);
        }
        this.settle = settle;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** What {@link #deviceUp} returns when the store need not be asked. */
    public static final long NO_LOAD = 0;

    /**
     * A device of the user logged in.
     *
     * @return {@link #NO_LOAD}, or a token: then ask the store whether the user hides their presence and pass its
     *     answer with the token to {@link #loaded} (or {@link #loadFailed})
     */
    public synchronized long deviceUp(String userId, String userName) {
        State state = users.get(userId);
        boolean created = state == null;
        if (created) {
            state = new State(userName, ++loads);
            users.put(userId, state);
        }
        state.devices++;
        cancelSettle(state);
        announceIfChanged(userId, state);
        return created ? state.loadToken : NO_LOAD;
    }

    /**
     * The store says whether the user hides their presence; ignored if already known (a choice made since wins)
     * or if the read was for an earlier stay online (its answer may predate a choice made while offline).
     */
    public synchronized void loaded(String userId, long token, boolean hidden) {
        State state = users.get(userId);
        if (state == null || state.loadToken != token || state.hidden != null) {
            return;
        }
        state.hidden = hidden;
        announceIfChanged(userId, state);
        forgetIfIdle(userId, state);
    }

    /** The store could not say: the user stays hidden until their next first login, which asks again. */
    public synchronized void loadFailed(String userId, long token) {
        State state = users.get(userId);
        if (state != null && state.loadToken == token && state.hidden == null) {
            state.hidden = true;
            forgetIfIdle(userId, state);
        }
    }

    /** A device of the user logged out or closed; the last one starts the settle delay on {@code timer}. */
    public synchronized void deviceDown(String userId, Timer timer) {
        State state = users.get(userId);
        if (state == null || state.devices == 0) {
            return;
        }
        state.devices--;
        if (state.devices > 0) {
            return;
        }
        if (state.announcedOnline) {
            if (settle.isZero()) {
                announce(userId, state, false);
            } else {
                long token = ++state.settleToken;
                state.cancelSettle = timer.schedule(settle, () -> settled(userId, token));
                return;
            }
        }
        forgetIfIdle(userId, state);
    }

    /** The user chose to hide or show their presence; applies at once if they are online. */
    public synchronized void setHidden(String userId, boolean hidden) {
        State state = users.get(userId);
        if (state == null) {
            return; // not online: the stored choice is read at the next login
        }
        state.hidden = hidden;
        if (hidden && state.announcedOnline) {
            cancelSettle(state);
            announce(userId, state, false);
        } else {
            announceIfChanged(userId, state);
        }
        forgetIfIdle(userId, state);
    }

    /** Whether others see the user online now (the last announcement was ONLINE). */
    public synchronized boolean appearsOnline(String userId) {
        State state = users.get(userId);
        return state != null && state.announcedOnline;
    }

    /** Users tracked now (online, or within their settle delay); for tests and statistics. */
    synchronized int tracked() {
        return users.size();
    }

    private void settled(String userId, long token) {
        synchronized (this) {
            State state = users.get(userId);
            if (state == null || state.settleToken != token || state.cancelSettle == null) {
                return; // cancelled meanwhile, or superseded
            }
            state.cancelSettle = null;
            if (state.devices == 0 && state.announcedOnline) {
                announce(userId, state, false);
            }
            forgetIfIdle(userId, state);
        }
    }

    private void announceIfChanged(String userId, State state) {
        if (state.visible() && !state.announcedOnline) {
            announce(userId, state, true);
        } else if (!state.visible() && state.devices > 0 && state.announcedOnline) {
            announce(userId, state, false); // hidden while online
        }
    }

    private void announce(String userId, State state, boolean online) {
        state.announcedOnline = online;
        listener.changed(userId, state.userName, online, clock.millis());
    }

    private static void cancelSettle(State state) {
        if (state.cancelSettle != null) {
            state.cancelSettle.run();
            state.cancelSettle = null;
            state.settleToken++;
        }
    }

    private void forgetIfIdle(String userId, State state) {
        if (state.devices == 0 && !state.announcedOnline && state.cancelSettle == null) {
            users.remove(userId);
        }
    }
}
