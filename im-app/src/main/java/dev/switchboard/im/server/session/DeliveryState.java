package dev.switchboard.im.server.session;

/**
 * Where a device's deliveries stand. Changed only on the device's event loop, through
 * {@link DeviceSession#moveTo}; {@link #ENDED} is final.
 *
 * <pre>
 *   login ─▶ READING ──short page, caught up──▶ LIVE
 *              ▲  │                              │
 *              │  └──unwritable──▶ PAUSED ◀──────┘ unwritable
 *              │                     │
 *              └───drained───────────┘            (a gap in LIVE goes back to READING)
 *   any state ──logout, re-login, close──▶ ENDED
 * </pre>
 */
public enum DeliveryState {
    /** A backlog query from the cursor is running; live deliveries wait (bounded) until its page is written. */
    READING,
    /** Caught up: live deliveries are written as they come, while the connection is writable. */
    LIVE,
    /**
     * The connection went unwritable: nothing is written or held until it drains, then the backlog is read again
     * from the cursor. The store keeps every message, so pausing loses nothing and costs no heap.
     */
    PAUSED,
    /** The session is over (logout, another login on the connection, close): nothing more is written. */
    ENDED;

    /** Whether a transition from this state to {@code next} is one the delivery rules allow. */
    boolean canMoveTo(DeliveryState next) {
        return switch (this) {
            case READING -> true;
            case LIVE -> next != LIVE;
            case PAUSED -> next == READING || next == ENDED;
            case ENDED -> false;
        };
    }
}
